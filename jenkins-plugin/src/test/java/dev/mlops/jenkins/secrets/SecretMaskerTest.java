package dev.mlops.jenkins.secrets;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskerTest {
    @Test
    void masksTheValueItsBase64AndTheLongestSecretFirst() {
        SecretMasker m = new SecretMasker(Set.of("abc", "abcdef"));
        assertThat(m.mask("x abcdef y abc")).isEqualTo("x **** y ****");
        String b64 = Base64.getEncoder().encodeToString("abcdef".getBytes(StandardCharsets.UTF_8));
        assertThat(m.mask("Authorization: Basic " + b64)).isEqualTo("Authorization: Basic ****");
        assertThat(SecretMasker.none().mask("abc")).isEqualTo("abc");
    }

    @Test
    void masksEveryStringOfANestedResultAndKeepsNumbers() {
        Map<String, Object> inner = new LinkedHashMap<>(Map.of("url", "https://h/?t=s3cr3t"));
        Map<String, Object> r = new LinkedHashMap<>(Map.of("a", List.of("s3cr3t", 1), "b", inner, "n", 2.5));
        Map<String, Object> masked = new SecretMasker(Set.of("s3cr3t")).maskMap(r);
        assertThat(masked.toString()).doesNotContain("s3cr3t");
        assertThat(masked).containsEntry("n", 2.5).containsEntry("a", List.of("****", 1));
    }

    @Test
    void theLogStreamMasksLineByLineAndRemembersTheLastLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MaskingOutputStream s = new MaskingOutputStream(out, new SecretMasker(Set.of("tok-123")));
        // A secret split across two writes is still masked: lines are masked whole.
        s.write("first tok-".getBytes(StandardCharsets.UTF_8));
        s.write("123 line\nerror: bad tok-123\n\nno newline".getBytes(StandardCharsets.UTF_8));
        assertThat(s.lastLine()).isEqualTo("error: bad ****");
        s.close();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("first **** line\nerror: bad ****\n\nno newline\n");
        assertThat(s.lastLine()).isEqualTo("no newline");
    }

    @Test
    void kubeconfigTokensAndKeysAreMasked() {
        ChildSecrets c = new ChildSecrets();
        c.kubeconfig(("users:\n- name: u\n  user:\n    token: abc.def-ghi\n    client-key-data: \"LS0tS0VZ\"\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(c.masker().mask("token abc.def-ghi key LS0tS0VZ")).isEqualTo("token **** key ****");
        c.env("MLFLOW_TRACKING_USERNAME", "alice", false);
        assertThat(c.masker().mask("alice")).isEqualTo("alice");
    }
}
