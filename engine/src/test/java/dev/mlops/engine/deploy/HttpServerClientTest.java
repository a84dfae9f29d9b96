package dev.mlops.engine.deploy;

import dev.mlops.engine.testing.EchoingServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a model server answers becomes our smoke/verify messages (and the ledger): no credential gets through. */
class HttpServerClientTest {
    private static final String TOKEN = "tok-9f8e7d6c5b4a-SECRET";

    @Test
    void anErrorBodyQuotingACredentialIsRedacted() throws Exception {
        try (EchoingServer server = EchoingServer.saying(502,
                "upstream refused: Authorization: Bearer " + TOKEN + " for https://ci:" + TOKEN + "@mlflow.internal/")) {
            HttpServerClient client = new HttpServerClient(Duration.ofSeconds(5));
            for (ServerClient.Reply r : List.of(client.get(URI.create(server.url()), "/ready"),
                    client.predict(URI.create(server.url()), List.of(List.of(1.0, 2.0))))) {
                assertThat(r.status()).isEqualTo(502);
                assertThat(r.error()).contains("upstream refused").doesNotContain(TOKEN);
                assertThat(r.describe()).doesNotContain(TOKEN);
            }
        }
    }
}
