package dev.signet.policy.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** Istio's PeerAuthentication spec. Port keys stay strings until validated, so errors can name them. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PeerAuthenticationSpec(Selector selector, Mtls mtls, Map<String, Mtls> portLevelMtls) {
    public PeerAuthenticationSpec {
        portLevelMtls = Lists.of(portLevelMtls);
    }

    public MtlsMode modeOrUnset() {
        return mtls == null ? MtlsMode.UNSET : mtls.modeOrUnset();
    }
}
