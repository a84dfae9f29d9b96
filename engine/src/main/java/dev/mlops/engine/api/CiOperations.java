package dev.mlops.engine.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.ExitCodes;
import dev.mlops.engine.InputException;
import dev.mlops.engine.InputFiles;
import dev.mlops.engine.Json;
import dev.mlops.engine.ci.CiGenerator;
import dev.mlops.engine.ci.GeneratedFile;
import dev.mlops.engine.ci.ResultSummary;
import dev.mlops.engine.spec.PipelineSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CI operations behind {@link Engine}: generate a platform's pipeline, summarize step results. */
final class CiOperations {
    private final EngineContext ctx;

    CiOperations(EngineContext ctx) {
        this.ctx = ctx;
    }

    GenerateResult generate(GenerateRequest req) {
        CiGenerator.Platform platform = CiGenerator.Platform.of(req.platform());
        PipelineSpec spec = Specs.load(ctx, req.spec(), List.of());
        List<GeneratedFile> files = CiGenerator.generate(platform, spec, ctx.workDir(), ctx.resolve(req.spec()),
                new CiGenerator.Options(req.cli(), req.mlopsVersion(), req.testCommand(), req.coverageReport(),
                        req.dockerfile(), req.jobImage()));
        Path out = ctx.resolve(req.out() == null || req.out().isBlank() ? platform.defaultOut() : req.out());
        List<GenerateResult.File> written = new ArrayList<>();
        for (CiGenerator.Written w : CiGenerator.write(files, out, platform == CiGenerator.Platform.GITLAB_CI,
                req.force(), ctx.log())) {
            written.add(new GenerateResult.File(ctx.workDir().relativize(w.path()).toString().replace('\\', '/'),
                    w.changed() ? "written" : "unchanged"));
        }
        return new GenerateResult(platform.id(), req.spec(), written, ExitCodes.OK);
    }

    SummaryResult summarize(SummaryRequest req) {
        if (req.field() != null) {
            return field(req.files().get(0), req.field());
        }
        StringBuilder b = new StringBuilder();
        for (String f : req.files()) {
            String json = read(f);
            b.append(json == null ? "**" + f + "**: no result (the step did not run, or failed before writing it)\n"
                    : ResultSummary.markdown(f, json)).append('\n');
        }
        return new SummaryResult(b.toString().stripTrailing(), ExitCodes.OK);
    }

    /**
     * One value for a pipeline's {@code $(mlops summary --field ...)}: a file that is missing or not JSON is an input
     * error (exit 2), an absent field a failure (exit 1) with a warning; never an empty value that the script takes
     * for a real one.
     */
    private SummaryResult field(String file, String field) {
        String json = read(file);
        if (json == null) {
            throw new InputException(file + ": no result (the step did not run, or failed before writing it); "
                    + "expected the JSON a step wrote with --json");
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InputException(file + ": is not JSON (" + e.getOriginalMessage()
                    + "); expected the JSON a step wrote with --json");
        }
        String value = ResultSummary.field(json, field);
        if (value == null) {
            String why = tree != null && tree.has("error")
                    ? " (the step failed: " + tree.path("error").path("message").asText() + ")" : "";
            ctx.log().warn(file + ": has no field '" + field + "'" + why);
            return new SummaryResult(null, ExitCodes.FAILED);
        }
        return new SummaryResult(value, ExitCodes.OK);
    }

    /** The file's text, or null when it does not exist (a step that never ran); a pipe or device is refused. */
    private String read(String file) {
        InputFiles.requireRegular(ctx.resolve(file), "JSON result file");
        try {
            return Files.readString(ctx.resolve(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
