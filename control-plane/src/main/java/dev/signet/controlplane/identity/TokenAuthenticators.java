package dev.signet.controlplane.identity;

/**
 * How tokens are checked, for each audience a service accepts: Signet's CA takes tokens for its own audience, the
 * Istio CA API those for Istio's ({@code istio-ca}), so a token meant for one is never good at the other.
 */
@FunctionalInterface
public interface TokenAuthenticators {

    TokenAuthenticator forAudience(String audience);
}
