package dev.signet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.api.ca.v1.TrustBundleReport;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The confirmations an agent sends on its bundle stream. */
class TrustWatchReportsTest {

    private final List<Long> sent = new ArrayList<>();
    private final StreamObserver<TrustBundleReport> stream = new StreamObserver<>() {
        @Override
        public void onNext(TrustBundleReport report) {
            assertThat(report.getWorkload()).isEqualTo("checkout-7d9f");
            sent.add(report.getWrittenVersion());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
    };

    @Test
    void each_version_is_confirmed_once_on_a_stream_and_again_on_a_new_one() {
        TrustWatch.Reports reports = new TrustWatch.Reports();
        reports.stream(stream);
        reports.confirm(1, "checkout-7d9f");
        // Renewal requests of a rotation's ACTIVATE repeat the bundle the agent holds.
        reports.confirm(1, "checkout-7d9f");
        reports.confirm(1, "checkout-7d9f");
        reports.confirm(2, "checkout-7d9f");
        // A stale bundle leaves the agent at the version it wrote, which it already confirmed.
        reports.confirm(2, "checkout-7d9f");
        assertThat(sent).containsExactly(1L, 2L);

        // A reconnect opens a new stream with new Reports: the control plane there has heard nothing yet.
        TrustWatch.Reports reconnected = new TrustWatch.Reports();
        reconnected.stream(stream);
        reconnected.confirm(2, "checkout-7d9f");
        assertThat(sent).containsExactly(1L, 2L, 2L);
    }
}
