package dev.mlops.engine.tracking;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that starts at a known instant and moves one millisecond on every read, so "latest" is well defined. */
final class TickingClock extends Clock {
    static final long START = 1_700_000_000_000L;
    private final AtomicLong now = new AtomicLong(START);

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(now.getAndIncrement());
    }
}
