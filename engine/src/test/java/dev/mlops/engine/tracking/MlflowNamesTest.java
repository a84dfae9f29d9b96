package dev.mlops.engine.tracking;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key rule against MLflow's own test vectors (tests/utils/test_validation.py, GOOD/BAD_METRIC_OR_PARAM_NAMES and
 * the path_not_unique cases, after colons were allowed) and against answers of CPython's re and posixpath.normpath
 * for the edge cases (taken with /usr/bin/python3: Unicode letters and numbers pass, combining marks and control
 * characters do not, one trailing newline does).
 */
class MlflowNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "Ab-5_", "a/b/c", "a.b.c", ".a", "b.", "a..a/._./o_O/.e.", "a b/c d", "a:b",
            "f1.le50K", "école", "x²", "日本", "a..", "f1..", "precision.a b", "a\n"})
    void acceptsWhatMlflowAccepts(String name) {
        assertThat(MlflowNames.problem(name)).as(name).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "/", "..", "//", "a//b", "a/./b", "/a", "a/", "\\", "./", "/./", "./a",
            "a/b/../c", "../a/b", "/a/b/c", "..a", "//a"})
    void refusesPathsThatAreNotTheirOwnNormalForm(String name) {
        assertThat(MlflowNames.problem(name)).as(name).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"f1.<=50K", "f1.>50K", "a=b", "a,b", "a(b)", "a@k", "a\tb", "a\nb", "a\u0301", "a\u200db",
            "a\u203fb", "a%b", "a\\b"})
    void refusesCharactersOutsideMlflowsSet(String name) {
        assertThat(MlflowNames.problem(name)).as(name).contains(MlflowNames.CHARACTERS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a|a", "a/b/c|a/b/c", "./a|a", "a/b/../c|a/c", ".|.", "../a/b|../a/b",
            "/a/b/c|/a/b/c", "//a|//a", "///a|/a", "a//b|a/b", "a/./b|a/b", "a/|a", "..|..", "../..|../..", "/..|/",
            "a/../..|..", "a..|a..", "..a|..a"})
    void normalisesLikePosixpath(String path, String expected) {
        assertThat(MlflowNames.normpath(path)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void keysAreAtMost250Characters() {
        assertThat(MlflowNames.problem("a".repeat(250))).isEmpty();
        assertThat(MlflowNames.problem("a".repeat(251))).get().asString().contains("250");
        assertThat(MlflowNames.problem(null)).isPresent();
    }
}
