package dev.mlops.cli.deploy;

import dev.mlops.engine.InputException;
import dev.mlops.engine.api.Durations;
import picocli.CommandLine;

import java.time.Duration;

/** "500ms", "30s", "5m", "1h", a bare number of seconds, or ISO-8601 ("PT30S"), as the engine reads them. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse("duration", value);
        } catch (InputException e) {
            throw new CommandLine.TypeConversionException(e.getMessage().replaceFirst("^duration: ", ""));
        }
    }
}
