package dev.mlops.engine;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.k8s-s3cr3t.sig";

    @Test
    void knownSecretsGoInEveryFormTheyTravelIn() {
        Redactor r = Redactor.of(List.of(TOKEN, "pa ss/w+rd"));
        String b64 = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
        String text = r.redact("raw " + TOKEN + ", base64 " + b64 + ", in a URL pa+ss%2Fw%2Brd, plain pa ss/w+rd");
        assertThat(text).doesNotContain(TOKEN).doesNotContain(b64).doesNotContain("pa+ss%2Fw%2Brd")
                .doesNotContain("pa ss/w+rd").contains("raw ****");
    }

    @Test
    void credentialShapedTextIsRedactedWithoutBeingKnown() {
        String echoed = "Unauthorized: bad credentials: Bearer " + TOKEN + " (Authorization: Basic dXNlcjpwYXNzd29yZA==)"
                + " at https://ci:hunter22@registry.example/v2, MLFLOW_TRACKING_TOKEN=abc123xyz, {\"password\": \"pw-42x\"}";
        String out = Redactor.PATTERNS.redact(echoed);
        assertThat(out).doesNotContain(TOKEN).doesNotContain("dXNlcjpwYXNzd29yZA==").doesNotContain("hunter22")
                .doesNotContain("abc123xyz").doesNotContain("pw-42x")
                .contains("Bearer ****").contains("https://****@registry.example/v2")
                .contains("MLFLOW_TRACKING_TOKEN=****");
    }

    @Test
    void ordinaryMessagesAreLeftAlone() {
        String m = "--api-server needs a token in $MLOPS_KUBE_TOKEN; set a Bearer token or MLFLOW_TRACKING_TOKEN";
        assertThat(Redactor.PATTERNS.redact(m)).isEqualTo(m);
        assertThat(Redactor.PATTERNS.redact("HTTP 503 from http://127.0.0.1:8080/ready")).isEqualTo(
                "HTTP 503 from http://127.0.0.1:8080/ready");
    }

    @Test
    void aRedactedExceptionKeepsItsTraceButNoSecretInAnyCause() {
        Exception inner = new IllegalStateException("token=" + TOKEN);
        RuntimeException outer = new RuntimeException("bad credentials: Bearer " + TOKEN, inner);
        RuntimeException clean = Redactor.of(List.of(TOKEN)).redact(outer);
        StringWriter trace = new StringWriter();
        clean.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(TOKEN).contains("java.lang.IllegalStateException")
                .contains("RedactorTest");
        assertThat(clean.getStackTrace()).isEqualTo(outer.getStackTrace());
    }
}
