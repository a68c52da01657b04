/**
 * The mutating admission webhook: the API server sends each new pod of a namespace labelled
 * {@code signet.dev/inject: enabled}, the webhook answers with the agent added as a native sidecar; the leader keeps
 * the webhook configuration's {@code caBundle} equal to the trust bundle, through root rotations.
 */
package dev.signet.operator.injection;
