package dev.mlops.cli.ci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Runs GitHub Actions workflows here, where no runner can be installed: every job in {@code needs} order in a fresh
 * clone, its {@code run:} steps with bash ({@code -eo pipefail}, as GitHub's {@code shell: bash}) and real
 * {@code GITHUB_OUTPUT}, {@code GITHUB_ENV}, {@code GITHUB_PATH} and {@code GITHUB_STEP_SUMMARY} files, the
 * {@code ${{ }}} expressions resolved, {@code if:} conditions and job/step outputs honoured, reusable workflows of the
 * repository called with their inputs, secrets and outputs. {@code uses:} steps of checkout, setup-java, cache and
 * artifact upload/download have local equivalents (the job's clone, this JDK, a cache folder, an artifact store per
 * run); the repository's setup-mlops action puts the mlops under test on the PATH; every other action is listed in
 * {@link #notRun()} and not run.
 */
final class LocalActionsRunner {
    private static final ObjectMapper YAML = new YAMLMapper();

    private final PipelineSandbox box;
    private final Map<String, String> secrets;
    private final Map<String, String> vars;
    private final Path work;
    private final AtomicInteger runs = new AtomicInteger(1000);
    private final List<String> notRun = new ArrayList<>();
    private final List<String> mapped = new ArrayList<>();
    private Path currentWs;

    LocalActionsRunner(PipelineSandbox box, Map<String, String> secrets, Map<String, String> vars, Path work) {
        this.box = box;
        this.secrets = secrets;
        this.vars = vars;
        this.work = work;
    }

    record JobResult(String result, Map<String, String> outputs, String log, String summary) {
    }

    record RunResult(String workflow, String runId, Map<String, JobResult> jobs, Map<String, String> outputs) {
        boolean succeeded() {
            return jobs.values().stream().noneMatch(j -> j.result().equals("failure"));
        }

        String summaries() {
            StringBuilder b = new StringBuilder();
            jobs.values().forEach(j -> b.append(j.summary()));
            return b.toString();
        }

        String logs() {
            StringBuilder b = new StringBuilder();
            jobs.forEach((n, j) -> b.append("== job ").append(n).append(": ").append(j.result()).append('\n').append(j.log()));
            return b.toString();
        }
    }

    List<String> notRun() {
        return List.copyOf(notRun);
    }

    List<String> mapped() {
        return List.copyOf(mapped);
    }

    /** Runs a workflow of the sandbox repository for an event ({@code push}, {@code workflow_dispatch}, ...). */
    RunResult run(String workflow, String event, Map<String, Object> payload) {
        Map<String, Object> inputs = cast(payload.getOrDefault("inputs", Map.of()));
        return run(workflow, event, payload, inputs);
    }

    private RunResult run(String workflow, String event, Map<String, Object> payload, Map<String, Object> inputs) {
        Map<String, Object> wf = load(workflow);
        String runId = String.valueOf(runs.incrementAndGet());
        Map<String, Map<String, Object>> jobs = cast(wf.get("jobs"));
        Map<String, JobResult> results = new LinkedHashMap<>();
        for (String name : order(jobs)) {
            results.put(name, job(workflow, wf, name, jobs.get(name), event, payload, inputs, runId, results));
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        Map<String, Object> on = cast(wf.get("on"));
        Map<String, Object> call = cast(on.get("workflow_call"));
        if (call != null && call.get("outputs") != null) {
            Map<String, Map<String, Object>> outs = cast(call.get("outputs"));
            Expressions ex = expressions(event, payload, inputs, Map.of(), results, Map.of(), results, null);
            outs.forEach((k, v) -> outputs.put(k, ex.interpolate(String.valueOf(v.get("value")))));
        }
        return new RunResult(workflow, runId, results, outputs);
    }

    private JobResult job(String workflow, Map<String, Object> wf, String name, Map<String, Object> job, String event,
                          Map<String, Object> payload, Map<String, Object> inputs, String runId,
                          Map<String, JobResult> done) {
        List<String> needs = needs(job);
        Map<String, JobResult> needed = new LinkedHashMap<>();
        needs.forEach(n -> needed.put(n, done.get(n)));
        boolean needsOk = needed.values().stream().allMatch(r -> r.result().equals("success"));
        Expressions jobEx = expressions(event, payload, inputs, Map.of(), needed, Map.of(), done,
                needsOk ? "success" : "failure");
        String cond = job.get("if") == null ? "success()" : job.get("if").toString();
        if (!jobEx.condition(cond)) {
            return new JobResult("skipped", Map.of(), "skipped: if " + cond + "\n", "");
        }
        if (job.get("uses") != null) {
            return reusable(job, jobEx, event, payload);
        }
        Path dir = work.resolve("jobs").resolve(runId + "-" + name);
        Path ws = dir.resolve("workspace");
        Path files = dir.resolve("files");
        try {
            Files.createDirectories(files);
            Files.createDirectories(dir.resolve("tmp"));
            Files.createDirectories(work.resolve("home"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PipelineSandbox.Run clone = PipelineSandbox.run(List.of("git", "clone", "-q", box.repo.toString(), ws.toString()),
                work, Map.of(), 120);
        if (clone.exitCode() != 0) {
            throw new IllegalStateException("clone failed: " + clone.output());
        }
        currentWs = ws;
        StringBuilder log = new StringBuilder();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", work.resolve("home").toString());
        env.put("LANG", "C.UTF-8");
        env.put("CI", "true");
        env.put("GITHUB_ACTIONS", "true");
        env.put("GITHUB_WORKSPACE", ws.toString());
        env.put("GITHUB_SHA", box.git("rev-parse", "HEAD"));
        env.put("GITHUB_REF", "refs/heads/main");
        env.put("GITHUB_EVENT_NAME", event);
        env.put("GITHUB_ACTOR", "ci-test");
        env.put("GITHUB_REPOSITORY", "acme/breast-cancer");
        env.put("GITHUB_RUN_ID", runId);
        env.put("GITHUB_SERVER_URL", "https://github.example");
        env.put("RUNNER_TEMP", dir.resolve("tmp").toString());
        env.put("RUNNER_OS", "Linux");
        Map<String, Map<String, String>> stepOutputs = new LinkedHashMap<>();
        Map<String, String> outcomes = new LinkedHashMap<>();
        Map<String, String> exported = new LinkedHashMap<>();
        List<String> path = new ArrayList<>();
        StringBuilder summary = new StringBuilder();
        boolean failed = false;
        int timeout = job.get("timeout-minutes") == null ? 360 : Integer.parseInt(job.get("timeout-minutes").toString());
        List<Map<String, Object>> steps = cast(job.getOrDefault("steps", List.of()));
        for (int i = 0; i < steps.size(); i++) {
            Map<String, Object> step = steps.get(i);
            String id = step.get("id") == null ? "step" + i : step.get("id").toString();
            Expressions ex = expressions(event, payload, inputs, merged(env, wf, job, exported, null), needed,
                    stepOutputs, done, failed ? "failure" : "success");
            ex = withOutcomes(ex, outcomes);
            String stepName = String.valueOf(step.getOrDefault("name", step.getOrDefault("uses", step.get("run"))));
            String c = step.get("if") == null ? "success()" : step.get("if").toString();
            if (!ex.condition(c)) {
                log.append("-- skip ").append(stepName).append('\n');
                outcomes.put(id, "skipped");
                continue;
            }
            Map<String, String> stepEnv = merged(env, wf, job, exported, step);
            Map<String, String> resolved = new LinkedHashMap<>();
            Expressions finalEx = ex;
            stepEnv.forEach((k, v) -> resolved.put(k, finalEx.interpolate(v)));
            if (!path.isEmpty()) {
                resolved.put("PATH", String.join(":", path) + ":" + resolved.get("PATH"));
            }
            Map<String, String> outputs = new LinkedHashMap<>();
            boolean ok;
            log.append("-- ").append(stepName).append('\n');
            if (step.get("run") != null) {
                Path out = files.resolve(id + ".output");
                Path envFile = files.resolve(id + ".env");
                Path pathFile = files.resolve(id + ".path");
                Path sum = files.resolve(id + ".summary");
                Path script = files.resolve(id + ".sh");
                try {
                    for (Path f : List.of(out, envFile, pathFile, sum)) {
                        Files.writeString(f, "");
                    }
                    Files.writeString(script, ex.interpolate(step.get("run").toString()) + "\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                resolved.put("GITHUB_OUTPUT", out.toString());
                resolved.put("GITHUB_ENV", envFile.toString());
                resolved.put("GITHUB_PATH", pathFile.toString());
                resolved.put("GITHUB_STEP_SUMMARY", sum.toString());
                PipelineSandbox.Run r = PipelineSandbox.run(List.of("bash", "--noprofile", "--norc", "-eo", "pipefail",
                        script.toString()), ws, resolved, timeout * 60);
                log.append(r.output());
                ok = r.exitCode() == 0;
                if (!ok) {
                    log.append("   exit ").append(r.exitCode()).append('\n');
                }
                outputs.putAll(keyValues(out));
                exported.putAll(keyValues(envFile));
                path.addAll(0, lines(pathFile));
                summary.append(read(sum));
            } else {
                ok = uses(workflow, name, step, ex, ws, runId, outputs, path, log);
            }
            stepOutputs.put(id, outputs);
            outcomes.put(id, ok ? "success" : "failure");
            failed |= !ok;
        }
        Map<String, String> jobOutputs = new LinkedHashMap<>();
        Map<String, Object> outs = cast(job.getOrDefault("outputs", Map.of()));
        Expressions ex = expressions(event, payload, inputs, env, needed, stepOutputs, done, "success");
        outs.forEach((k, v) -> jobOutputs.put(k, ex.interpolate(v.toString())));
        return new JobResult(failed ? "failure" : "success", jobOutputs, log.toString(), summary.toString());
    }

    /** A job calling a reusable workflow of this repository: its inputs, inherited secrets, its outputs. */
    private JobResult reusable(Map<String, Object> job, Expressions ex, String event, Map<String, Object> payload) {
        String uses = job.get("uses").toString();
        if (!uses.startsWith("./.github/workflows/")) {
            notRun.add("reusable workflow " + uses);
            return new JobResult("skipped", Map.of(), "not run: " + uses + "\n", "");
        }
        Map<String, Object> with = new LinkedHashMap<>();
        Map<String, Object> given = cast(job.getOrDefault("with", Map.of()));
        given.forEach((k, v) -> with.put(k, ex.interpolate(String.valueOf(v))));
        RunResult r = run(uses.substring(2), "workflow_call", payload, with);
        StringBuilder summary = new StringBuilder(r.summaries());
        return new JobResult(r.succeeded() ? "success" : "failure", r.outputs(), r.logs(), summary.toString());
    }

    /** A {@code uses:} step: a local equivalent, or listed as not run. */
    private boolean uses(String workflow, String job, Map<String, Object> step, Expressions ex, Path ws, String runId,
                         Map<String, String> outputs, List<String> path, StringBuilder log) {
        String uses = step.get("uses").toString();
        String action = uses.contains("@") ? uses.substring(0, uses.indexOf('@')) : uses;
        Map<String, String> with = new LinkedHashMap<>();
        Map<String, Object> given = cast(step.getOrDefault("with", Map.of()));
        given.forEach((k, v) -> with.put(k, ex.interpolate(String.valueOf(v))));
        try {
            switch (action) {
                case "actions/checkout" -> {
                    note("actions/checkout: the job's own fresh clone of the repository");
                    return true;
                }
                case "actions/setup-java" -> {
                    note("actions/setup-java: this machine's JDK " + System.getProperty("java.specification.version"));
                    return Integer.parseInt(System.getProperty("java.specification.version")) >= 17;
                }
                case "./.github/actions/setup-mlops" -> {
                    note("./.github/actions/setup-mlops: the mlops under test on the PATH (its install path is linted, not run)");
                    path.add(0, box.mlopsHome.resolve("bin").toString());
                    return true;
                }
                case "actions/cache" -> {
                    Path cache = work.resolve("cache").resolve(with.get("key"));
                    Path target = ws.resolve(with.get("path"));
                    boolean hit = Files.isDirectory(cache);
                    if (hit) {
                        PipelineSandbox.copyTree(cache, target);
                    }
                    outputs.put("cache-hit", String.valueOf(hit));
                    note("actions/cache: a cache folder on this machine");
                    return true;
                }
                case "actions/upload-artifact" -> {
                    note("actions/upload-artifact: an artifact store per workflow run");
                    return upload(ws, runId, with, log);
                }
                case "actions/download-artifact" -> {
                    note("actions/download-artifact: the artifact store of the run named by run-id (else this run)");
                    String from = with.getOrDefault("run-id", runId);
                    Path src = work.resolve("artifacts").resolve(from.isEmpty() ? runId : from).resolve(with.get("name"));
                    if (!Files.isDirectory(src)) {
                        log.append("   no artifact ").append(with.get("name")).append(" in run ").append(from).append('\n');
                        return false;
                    }
                    PipelineSandbox.copyTree(src, ws.resolve(with.getOrDefault("path", ".")));
                    return true;
                }
                default -> {
                    String entry = workflow + " / " + job + ": " + action + " (" + step.getOrDefault("name", "") + ")";
                    if (!notRun.contains(entry)) {
                        notRun.add(entry);
                    }
                    log.append("   not run here: ").append(action).append('\n');
                    return true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean upload(Path ws, String runId, Map<String, String> with, StringBuilder log) throws IOException {
        Path store = work.resolve("artifacts").resolve(runId).resolve(with.get("name"));
        int count = 0;
        for (String pattern : with.get("path").split("\n")) {
            pattern = pattern.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            boolean glob = pattern.contains("*");
            String literal = glob ? pattern.substring(0, pattern.indexOf('*')) : pattern;
            literal = literal.contains("/") ? literal.substring(0, literal.lastIndexOf('/') + 1) : "";
            Path p = ws.resolve(pattern.replaceAll("/+$", ""));
            if (!glob && Files.isRegularFile(p)) {
                PipelineSandbox.copyTree(p, store.resolve(p.getFileName().toString()));
                count++;
                continue;
            }
            Path base = glob ? ws.resolve(literal.isEmpty() ? "." : literal) : p;
            if (!Files.isDirectory(base)) {
                continue;
            }
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            try (Stream<Path> all = Files.walk(base)) {
                for (Path f : all.filter(Files::isRegularFile).toList()) {
                    if (!glob || m.matches(ws.relativize(f))) {
                        PipelineSandbox.copyTree(f, store.resolve(base.relativize(f).toString()));
                        count++;
                    }
                }
            }
        }
        log.append("   uploaded ").append(count).append(" file(s) as ").append(with.get("name")).append('\n');
        return count > 0 || !"error".equals(with.get("if-no-files-found"));
    }

    private void note(String s) {
        if (!mapped.contains(s)) {
            mapped.add(s);
        }
    }

    private Expressions expressions(String event, Map<String, Object> payload, Map<String, Object> inputs,
                                    Map<String, String> env, Map<String, JobResult> needs,
                                    Map<String, Map<String, String>> steps, Map<String, JobResult> jobs, String status) {
        Map<String, String> github = new LinkedHashMap<>();
        github.put("sha", box.git("rev-parse", "HEAD"));
        github.put("ref", "refs/heads/main");
        github.put("event_name", event);
        github.put("actor", "ci-test");
        github.put("repository", "acme/breast-cancer");
        github.put("token", "local-token");
        return new Expressions(path -> {
            String[] p = path.split("\\.");
            return switch (p[0]) {
                case "github" -> p.length > 2 && p[1].equals("event") ? String.valueOf(dig(payload, p, 2))
                        .replace("null", "") : github.get(p[1]);
                case "inputs" -> inputs.get(p[1]) == null ? null : inputs.get(p[1]).toString();
                case "secrets" -> secrets.get(p[1]);
                case "vars" -> vars.get(p[1]);
                case "env" -> env.get(p[1]);
                case "runner" -> p[1].equals("os") ? "Linux" : work.toString();
                case "steps" -> steps.containsKey(p[1]) && p.length > 3 ? steps.get(p[1]).get(p[3]) : null;
                case "needs", "jobs" -> {
                    JobResult r = (p[0].equals("needs") ? needs : jobs).get(p[1]);
                    yield r == null ? null : p[2].equals("result") ? r.result() : r.outputs().get(p[3]);
                }
                default -> throw new IllegalArgumentException("unknown context " + path);
            };
        }, call -> {
            if (call.startsWith("hashFiles(")) {
                return hashFiles(call.substring(10, call.length() - 1));
            }
            return switch (call) {
                case "success()" -> String.valueOf("success".equals(status));
                case "failure()" -> String.valueOf("failure".equals(status));
                case "always()" -> "true";
                case "cancelled()" -> "false";
                default -> throw new IllegalArgumentException("unknown function " + call);
            };
        });
    }

    /** Step outcomes ({@code steps.x.outcome}) on top of the other contexts. */
    private static Expressions withOutcomes(Expressions ex, Map<String, String> outcomes) {
        return new Expressions(path -> {
            String[] p = path.split("\\.");
            if (p[0].equals("steps") && p.length == 3 && (p[2].equals("outcome") || p[2].equals("conclusion"))) {
                return outcomes.getOrDefault(p[1], "");
            }
            return ex.context.apply(path);
        }, ex.functions);
    }

    /** GitHub's hashFiles: a hash of the files the patterns match in the job's workspace, or '' when none do. */
    private String hashFiles(String patterns) {
        if (currentWs == null) {
            return "";
        }
        List<PathMatcher> matchers = new ArrayList<>();
        for (String p : patterns.split(",")) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + p.strip()));
        }
        try (Stream<Path> all = Files.walk(currentWs)) {
            List<Path> files = all.filter(Files::isRegularFile)
                    .filter(f -> !currentWs.relativize(f).startsWith(".git"))
                    .filter(f -> matchers.stream().anyMatch(m -> m.matches(currentWs.relativize(f)))).sorted().toList();
            if (files.isEmpty()) {
                return "";
            }
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            for (Path f : files) {
                b.writeBytes(Files.readAllBytes(f));
            }
            return sha256(b.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> merged(Map<String, String> base, Map<String, Object> wf, Map<String, Object> job,
                                              Map<String, String> exported, Map<String, Object> step) {
        Map<String, String> m = new LinkedHashMap<>(base);
        for (Object level : new Object[]{wf.get("env"), job.get("env")}) {
            if (level != null) {
                Map<String, Object> e = cast(level);
                e.forEach((k, v) -> m.put(k, String.valueOf(v)));
            }
        }
        m.putAll(exported);
        if (step != null && step.get("env") != null) {
            Map<String, Object> e = cast(step.get("env"));
            e.forEach((k, v) -> m.put(k, String.valueOf(v)));
        }
        return m;
    }

    private Map<String, Object> load(String workflow) {
        try {
            return cast(YAML.readValue(box.repo.resolve(workflow).toFile(), Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Jobs with every job after the jobs it needs. */
    static List<String> order(Map<String, Map<String, Object>> jobs) {
        List<String> out = new ArrayList<>();
        while (out.size() < jobs.size()) {
            int before = out.size();
            for (String j : jobs.keySet()) {
                if (!out.contains(j) && out.containsAll(needs(jobs.get(j)))) {
                    out.add(j);
                }
            }
            if (out.size() == before) {
                throw new IllegalStateException("needs form a cycle: " + jobs.keySet());
            }
        }
        return out;
    }

    static List<String> needs(Map<String, Object> job) {
        Object n = job.get("needs");
        if (n == null) {
            return List.of();
        }
        if (n instanceof List<?> l) {
            return l.stream().map(Object::toString).toList();
        }
        return List.of(n.toString());
    }

    private static Object dig(Map<String, Object> m, String[] p, int from) {
        Object o = m;
        for (int i = from; i < p.length && o != null; i++) {
            o = o instanceof Map<?, ?> map ? map.get(p[i]) : null;
        }
        return o;
    }

    /** {@code key=value} lines and {@code key<<DELIM} blocks, as GITHUB_OUTPUT and GITHUB_ENV hold them. */
    static Map<String, String> keyValues(Path file) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int heredoc = l.indexOf("<<");
            int eq = l.indexOf('=');
            if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
                String delim = l.substring(heredoc + 2);
                StringBuilder v = new StringBuilder();
                while (++i < lines.size() && !lines.get(i).equals(delim)) {
                    v.append(v.length() == 0 ? "" : "\n").append(lines.get(i));
                }
                m.put(l.substring(0, heredoc), v.toString());
            } else if (eq > 0) {
                m.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return m;
    }

    private static List<String> lines(Path f) {
        String s = read(f);
        return s.isEmpty() ? List.of() : s.lines().toList();
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T cast(Object o) {
        return (T) o;
    }
}
