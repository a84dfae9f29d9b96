package dev.mlops.serve;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FileLimitsTest {
    @Test
    void theDerivedCapLeavesHeadroomUnderTheFileLimit() {
        assertThat(new FileLimits(256, 100).connectionCap(0)).isEqualTo(256 - 100 - 64);
        assertThat(new FileLimits(1024, 100).connectionCap(0)).isEqualTo(1024 - 100 - 102);
        assertThat(new FileLimits(20_000, 100).connectionCap(0)).isEqualTo(10_000);
        assertThat(new FileLimits(-1, -1).connectionCap(0)).isEqualTo(10_000);
        assertThat(new FileLimits(100, 90).connectionCap(0)).as("never below one").isEqualTo(1);
    }

    @Test
    void aConfiguredCapIsKeptAndCheckedAgainstTheLimit() {
        FileLimits l = new FileLimits(256, 100);
        assertThat(l.connectionCap(5000)).isEqualTo(5000);
        assertThat(l.fits(5000)).isFalse();
        assertThat(l.fits(92)).isTrue();
        assertThat(new FileLimits(-1, -1).fits(1_000_000)).isTrue();
    }
}
