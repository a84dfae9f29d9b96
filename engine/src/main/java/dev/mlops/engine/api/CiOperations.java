package dev.mlops.engine.api;

import dev.mlops.engine.ExitCodes;
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
            String json = read(req.files().get(0));
            String value = json == null ? null : ResultSummary.field(json, req.field());
            return new SummaryResult(value, value == null ? ExitCodes.FAILED : ExitCodes.OK);
        }
        StringBuilder b = new StringBuilder();
        for (String f : req.files()) {
            String json = read(f);
            b.append(json == null ? "**" + f + "**: no result (the step did not run, or failed before writing it)\n"
                    : ResultSummary.markdown(f, json)).append('\n');
        }
        return new SummaryResult(b.toString().stripTrailing(), ExitCodes.OK);
    }

    /** The file's text, or null when it does not exist (a step that never ran). */
    private String read(String file) {
        try {
            return Files.readString(ctx.resolve(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
