package dev.signet.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.controlplane.identity.WorkloadIdentity;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IssuanceLimiterTest {

    private static final WorkloadIdentity OTHER = new WorkloadIdentity("shop", "other");
    private static final WorkloadIdentity CHECKOUT = new WorkloadIdentity("shop", "checkout");

    @Test
    void one_identity_gets_its_burst_then_its_rate_and_others_keep_theirs() {
        AtomicLong now = new AtomicLong();
        IssuanceLimiter limiter = new IssuanceLimiter(new IssuanceLimiter.Limits(10, 200), now::get);
        int granted = 0;
        for (int i = 0; i < 2000; i++) {
            granted += limiter.tryAcquire(OTHER) ? 1 : 0;
        }
        assertThat(granted).as("2,000 asked at once").isEqualTo(200);
        assertThat(limiter.tryAcquire(CHECKOUT))
                .as("another identity is not held back")
                .isTrue();

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1500));
        granted = 0;
        for (int i = 0; i < 100; i++) {
            granted += limiter.tryAcquire(OTHER) ? 1 : 0;
        }
        assertThat(granted).as("1.5 s at 10/s").isEqualTo(15);
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        granted = 0;
        for (int i = 0; i < 300; i++) {
            granted += limiter.tryAcquire(OTHER) ? 1 : 0;
        }
        assertThat(granted).as("refilled to the burst, not beyond").isEqualTo(200);
    }

    @Test
    void unlimited_grants_everything_and_nonsense_limits_are_refused() {
        IssuanceLimiter limiter = new IssuanceLimiter(IssuanceLimiter.Limits.UNLIMITED, () -> 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.tryAcquire(OTHER)).isTrue();
        }
        assertThatThrownBy(() -> new IssuanceLimiter.Limits(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IssuanceLimiter.Limits(Double.NaN, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IssuanceLimiter.Limits(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
