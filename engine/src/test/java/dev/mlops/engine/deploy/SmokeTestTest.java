package dev.mlops.engine.deploy;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The smoke test's verdicts, against a scripted server. */
class SmokeTestTest {
    static final URI BASE = URI.create("http://preview");
    static final List<List<Double>> ROWS = List.of(List.of(1.0), List.of(2.0), List.of(3.0), List.of(4.0));
    static final List<String> EXPECTED = List.of("a", "b", "a", "b");

    final FakeClock clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
    final ListLog log = new ListLog();

    /** Answers /ready with {@code readyVersion} (after {@code staleReadies} answers with version "old"). */
    static ServerClient server(int staleReadies, String version, List<String> predictions, long predictMicros) {
        AtomicInteger readies = new AtomicInteger();
        return new ServerClient() {
            @Override
            public Reply get(URI base, String path) {
                String v = readies.getAndIncrement() < staleReadies ? "old" : version;
                return new Reply(200, v, "sha", null, 1000, null);
            }

            @Override
            public Reply predict(URI base, List<List<Double>> rows) {
                return new Reply(200, version, "sha", predictions, predictMicros, null);
            }
        };
    }

    private java.util.Optional<String> run(ServerClient s, Double minAgreement, Duration budget) {
        return new SmokeTest(s, log, clock, clock::advance)
                .run(BASE, new SmokeSpec(ROWS, EXPECTED, minAgreement, budget, Duration.ofSeconds(5)), "7", () -> { });
    }

    @Test
    void waitsUntilTheNewVersionAnswersThenPasses() {
        assertThat(run(server(3, "7", EXPECTED, 2000), null, null)).isEmpty();
        assertThat(log.text()).contains("smoke test passed");
    }

    @Test
    void givesUpWhenTheOldVersionKeepsAnswering() {
        assertThat(run(server(1000, "7", EXPECTED, 2000), null, null))
                .hasValueSatisfying(r -> assertThat(r).contains("served model_version old, expected 7", "gave up after 5 s"));
    }

    /** A preview Service whose endpoints lag its selector change: every other request reaches the old pods a while. */
    @Test
    void alternatingOldAndNewAnswersAreWaitedOutBeforeThePredictionsAreJudged() {
        AtomicInteger n = new AtomicInteger();
        ServerClient lagging = new ServerClient() {
            private String version() {
                int i = n.getAndIncrement();
                return i < 12 && i % 2 == 1 ? "old" : "7";
            }

            @Override
            public Reply get(URI base, String path) {
                return new Reply(200, version(), "sha", null, 1000, null);
            }

            @Override
            public Reply predict(URI base, List<List<Double>> rows) {
                return new Reply(200, version(), "sha", EXPECTED, 2000, null);
            }
        };
        assertThat(run(lagging, null, null)).isEmpty();
        assertThat(n.get()).as("3 /ready in a row, then /predict, once the lag was over").isEqualTo(16);
    }

    @Test
    void agreementThresholdIsAShareOfRows() {
        List<String> threeOfFour = List.of("a", "b", "a", "a"); // row 4 wrong: 3/4 = 75%
        assertThat(run(server(0, "7", threeOfFour, 2000), 0.75, null)).isEmpty();
        assertThat(run(server(0, "7", threeOfFour, 2000), 0.8, null)).hasValueSatisfying(r ->
                assertThat(r).contains("agree on 3 of 4 sample rows (75%, need 80%)", "row 4: predicted a, expected b"));
    }

    @Test
    void latencyBudgetIsChecked() {
        assertThat(run(server(0, "7", EXPECTED, 250_000), null, Duration.ofMillis(200)))
                .hasValueSatisfying(r -> assertThat(r).contains("slowest request took 250.0 ms, budget 200 ms"));
    }

    @Test
    void wrongNumberOfPredictionsFails() {
        assertThat(run(server(0, "7", List.of("a"), 2000), null, null))
                .hasValueSatisfying(r -> assertThat(r).contains("returned 1 predictions for 4 rows"));
    }
}
