package dev.mlops.engine.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.engine.AtomicFiles;
import dev.mlops.engine.Json;
import dev.mlops.engine.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** {@code releases.json} of a local environment, replaced atomically; a corrupt one is copied aside first. */
final class FileLedger implements Ledger {
    private final LocalState state;
    private final Log log;
    private final Clock clock;

    FileLedger(LocalState state, Log log, Clock clock) {
        this.state = state;
        this.log = log;
        this.clock = clock;
    }

    private Path file() {
        return state.file("releases.json");
    }

    @Override
    public List<Release> read() {
        if (!Files.isRegularFile(file())) {
            return List.of();
        }
        try {
            return parse();
        } catch (IOException e) {
            log.warn("ledger " + file() + " is corrupt (" + e.getMessage().lines().findFirst().orElse("")
                    + "); reading it as empty; the next write keeps a copy");
            return List.of();
        }
    }

    private List<Release> parse() throws IOException {
        List<Release> r = Json.MAPPER.readValue(file().toFile(), new TypeReference<>() {
        });
        if (r == null || r.stream().anyMatch(x -> x == null || x.id() == null || x.color() == null || x.outcome() == null)) {
            throw new IOException("an entry lacks id, color or outcome");
        }
        return r;
    }

    @Override
    public void write(List<Release> releases) {
        if (Files.isRegularFile(file())) {
            try {
                parse();
            } catch (IOException e) {
                Path aside = state.keepAside("releases.json", clock.instant());
                log.warn("ledger " + file() + " was corrupt; kept as " + aside.getFileName() + " before replacing it");
            }
        }
        AtomicFiles.writeString(file(), DeployJson.write(releases));
    }

    @Override
    public String describe() {
        return file().toString();
    }
}
