package dev.mlops.engine.deploy;

import dev.mlops.engine.Log;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * bench/deploy: API writes and switch latency of the Kubernetes target against the fabric8 mock API server (CRUD),
 * with {@link FakeCluster} playing the controllers on a fake clock. Run by bench/deploy/run.sh.
 * Baselines measured in the same run: one GET round trip to the same API server (the floor for any write), and a
 * cold rollback (redeploy of a release that is no longer warm).
 */
public final class KubeDeployBench {
    /** Held so the mock's request logging stays off. */
    static final java.util.logging.Logger MOCK_LOG = KubernetesFaultTest.quiet();

    private KubeDeployBench() {
    }

    /** A log that timestamps lines so step boundaries can be measured. */
    static final class TimedLog implements Log {
        final List<String> lines = new ArrayList<>();
        final List<Long> nanos = new ArrayList<>();

        @Override
        public synchronized void info(String m) {
            lines.add(m);
            nanos.add(System.nanoTime());
        }

        @Override
        public synchronized void warn(String m) {
            info("WARNING: " + m);
        }

        synchronized long at(String prefix, int fromIndex) {
            for (int i = fromIndex; i < lines.size(); i++) {
                if (lines.get(i).startsWith(prefix)) {
                    return nanos.get(i);
                }
            }
            throw new IllegalStateException("no log line starting with " + prefix);
        }

        synchronized int size() {
            return lines.size();
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init();
        KubernetesClient plain = server.createClient();
        KubernetesClient kube = new KubernetesClientBuilder().withConfig(new ConfigBuilder(plain.getConfiguration())
                .withRequestRetryBackoffLimit(0).addToCustomHeaders("X-Actor", "engine").build()).build();
        FakeClock clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
        FakeCluster cluster = new FakeCluster(plain, "ml", "demo", clock);
        TimedLog log = new TimedLog();
        KubernetesTarget target = new KubernetesTarget(kube, "demo", KubeSettings.of("ml"), log, clock, cluster);
        BlueGreen bg = new BlueGreen(target, new MemoryTracker(), cluster, log, clock, cluster);

        bg.deploy(KubernetesFaultTest.cfg("srv:1", "1"));
        drain(server);

        List<Double> switchMs = new ArrayList<>();
        List<Double> warmMs = new ArrayList<>();
        int[] deployWrites = new int[0];
        int[] warmWrites = new int[0];
        int warmBeforeTraffic = 0;
        List<String> warmVerbs = List.of();
        for (int i = 0; i < rounds; i++) {
            int mark = log.size();
            bg.deploy(KubernetesFaultTest.cfg("srv:" + (i + 2), String.valueOf(i + 2)));
            switchMs.add((log.at("switch: traffic on", mark) - log.at("smoke test passed", mark)) / 1e6);
            deployWrites = count(drain(server));

            mark = log.size();
            long t0 = System.nanoTime();
            bg.rollback(RollbackConfig.toPrevious("demo", "bench"));
            warmMs.add((System.nanoTime() - t0) / 1e6);
            List<RecordedRequest> rb = drain(server);
            warmWrites = count(rb);
            warmVerbs = lastWarm;
            warmBeforeTraffic = writesBeforeServicePatch(rb);
            bg.rollback(RollbackConfig.toPrevious("demo", "bench")); // forward again for the next round
            drain(server);
        }

        // Cold rollback: back to a version that no longer runs on either color.
        List<String> onColors = new ArrayList<>();
        for (Color c : Color.values()) {
            target.slot(c).ifPresent(sl -> onColors.add(sl.modelVersion()));
        }
        String oldest = target.ledger().read().stream()
                .filter(r -> r.outcome() == Outcome.SUCCEEDED || r.outcome() == Outcome.ROLLED_BACK)
                .map(Release::modelVersion).filter(v -> !onColors.contains(v)).reduce((a, b) -> b).orElseThrow();
        long c0 = System.nanoTime();
        bg.rollback(new RollbackConfig("demo", oldest, null, null, Duration.ofSeconds(60), null, null, null, null,
                null, null, "bench", null, null));
        double coldMs = (System.nanoTime() - c0) / 1e6;
        int[] coldWrites = count(drain(server));

        List<Double> getMs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long g0 = System.nanoTime();
            kube.services().inNamespace("ml").withName("demo").get();
            getMs.add((System.nanoTime() - g0) / 1e6);
        }

        double sw = median(switchMs);
        double get = median(getMs);
        double warm = median(warmMs);
        System.out.println("kubernetes target (fabric8 mock API server, controllers played by the bench), " + rounds + " rounds");
        System.out.printf(Locale.ROOT, "  API writes per deploy:          %d total, %d on the public Service (the switch)%n",
                deployWrites[0], deployWrites[1]);
        System.out.printf(Locale.ROOT, "  API writes per warm rollback:   %d total, %d on the public Service, %d before traffic moved (%s)%n",
                warmWrites[0], warmWrites[1], warmBeforeTraffic, "lock create");
        System.out.printf(Locale.ROOT, "  API writes per cold rollback:   %d total (baseline)%n", coldWrites[0]);
        System.out.printf(Locale.ROOT, "  green verified -> traffic on green: median %.2f ms; one API GET: median %.2f ms; ratio %.1fx%n",
                sw, get, sw / get);
        System.out.printf(Locale.ROOT, "  warm rollback in-process (API calls only): median %.1f ms; cold rollback (no real pod start): %.1f ms%n",
                warm, coldMs);
        System.out.println("  breakdown of the last warm rollback's writes: " + describe(warmVerbs));
        kube.close();
        plain.close();
        server.destroy();
        System.exit(0); // the mock's event loop threads are not daemons
    }

    private static List<String> lastWarm = List.of();

    private static List<RecordedRequest> drain(KubernetesMockServer server) throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(5, TimeUnit.MILLISECONDS)) != null) {
            if ("engine".equals(r.getHeader("X-Actor"))) {
                out.add(r);
            }
        }
        return out;
    }

    /** {total writes, writes to the public Service}. */
    private static int[] count(List<RecordedRequest> reqs) {
        int total = 0;
        int svc = 0;
        List<String> what = new ArrayList<>();
        for (RecordedRequest r : reqs) {
            if (r.getMethod().equals("GET")) {
                continue;
            }
            total++;
            String v = KubeManifestsTest.verbOf(r);
            what.add(v);
            if (r.getPath().matches("/api/v1/namespaces/ml/services/demo(\\?.*)?")) {
                svc++;
            }
        }
        lastWarm = what;
        return new int[] {total, svc};
    }

    private static int writesBeforeServicePatch(List<RecordedRequest> reqs) {
        int n = 0;
        for (RecordedRequest r : reqs) {
            if (r.getMethod().equals("GET")) {
                continue;
            }
            if (r.getPath().matches("/api/v1/namespaces/ml/services/demo(\\?.*)?")) {
                return n;
            }
            n++;
        }
        return n;
    }

    private static String describe(List<String> verbs) {
        return String.join(", ", verbs);
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
