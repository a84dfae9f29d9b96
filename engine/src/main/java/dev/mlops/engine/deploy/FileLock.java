package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.Log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code deploy.lock} of a local environment: the same fields as the Kubernetes Lease plus the holder's process.
 * Reads and writes happen under an OS file lock on {@code deploy.lock.guard}, so two processes cannot both take an
 * expired lock. A lock whose holder process is gone from this machine ({@code kill -9}) is taken over at once.
 */
final class FileLock implements Lock {
    private final Path dir;
    private final String app;
    private final Log log;
    private final Clock clock;

    FileLock(Path dir, String app, Log log, Clock clock) {
        this.dir = dir;
        this.app = app;
        this.log = log;
        this.clock = clock;
    }

    private Path file() {
        return dir.resolve("deploy.lock");
    }

    private <T> T guarded(Supplier<T> body) {
        try (FileChannel ch = FileChannel.open(dir.resolve("deploy.lock.guard"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             var ignored = ch.lock()) {
            return body.get();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file() + ": " + e.getMessage(), e);
        }
    }

    private Optional<LockInfo> read() {
        if (!Files.isRegularFile(file())) {
            return Optional.empty();
        }
        try {
            return Optional.of(DeployJson.MAPPER.readValue(file().toFile(), LockInfo.class));
        } catch (IOException e) {
            log.warn("ignoring the unreadable deploy lock " + file() + " (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")");
            return Optional.empty();
        }
    }

    private void write(LockInfo l) {
        dev.mlops.engine.AtomicFiles.writeString(file(), DeployJson.write(l));
    }

    @Override
    public LockInfo acquire(String holder, String buildUrl, Duration ttl) {
        return guarded(() -> {
            Instant now = clock.instant();
            Optional<LockInfo> cur = read();
            if (cur.isPresent() && cur.get().expiresAt().isAfter(now)) {
                if (!cur.get().holderGone()) {
                    throw LockSession.held(app, cur.get(), file().toString());
                }
                log.warn("taking over the deploy lock of " + cur.get().describe() + " at once: its process ("
                        + cur.get().process().describe() + ") is gone");
            } else {
                cur.ifPresent(c -> log.warn("taking over the expired deploy lock of " + c.describe()));
            }
            LockInfo mine = new LockInfo(holder, buildUrl, UUID.randomUUID().toString().substring(0, 8), now,
                    now.plus(ttl), ProcessIdentity.current(), null);
            write(mine);
            return mine;
        });
    }

    @Override
    public LockInfo renew(LockInfo held, Duration ttl) {
        return guarded(() -> {
            Optional<LockInfo> cur = read();
            if (cur.isEmpty() || !cur.get().token().equals(held.token())) {
                throw new InfraException("the deploy lock of " + app + " was taken over"
                        + cur.map(c -> " by " + c.describe()).orElse(""));
            }
            LockInfo renewed = cur.get().withExpiry(clock.instant().plus(ttl)); // keeps an abort request
            write(renewed);
            return renewed;
        });
    }

    @Override
    public void release(LockInfo held) {
        guarded(() -> {
            if (read().map(c -> c.token().equals(held.token())).orElse(false)) {
                try {
                    Files.deleteIfExists(file());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return null;
        });
    }

    @Override
    public Optional<LockInfo> current() {
        return read().filter(c -> c.expiresAt().isAfter(clock.instant()));
    }

    @Override
    public Optional<LockInfo> requestAbort(String by) {
        return guarded(() -> {
            Optional<LockInfo> cur = read().filter(c -> c.expiresAt().isAfter(clock.instant()));
            cur.ifPresent(c -> write(c.withAbortRequestedBy(by)));
            return cur.map(c -> c.withAbortRequestedBy(by));
        });
    }
}
