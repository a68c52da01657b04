package dev.signet.operator.crd;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What an admin asks of a root rotation. The new root is generated unless a Secret holds it; {@code Automatic}
 * rotations take each phase as soon as its gate opens, {@code Manual} ones only up to {@code targetPhase}.
 */
@JsonClassDescription(
        "What is asked: the new root (generated unless a Secret holds it), Automatic or Manual mode, a rollback, or passing a gate by force.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.targetPhase) || (has(self.mode) && self.mode == 'Manual')",
        message = "targetPhase applies to mode Manual only")
public record RootRotationSpec(
        @JsonPropertyDescription("The root to rotate to: generated (the default) or read from a Secret.")
        NewRoot newRoot,

        @JsonPropertyDescription("Automatic (the default) advances through every gate; Manual only up to targetPhase.")
        @Pattern("^(Automatic|Manual)$")
        String mode,

        @JsonPropertyDescription(
                "Manual mode: the phase the rotation may reach, each phase still only through its gate.")
        @Pattern("^(Prepare|Activate|Retire|Complete)$")
        String targetPhase,

        @JsonPropertyDescription("Turns the rotation back to the root it started from, through the same gates.")
        Boolean rollback,

        @JsonPropertyDescription("Passes the gate that holds the rotation now, once per reason; recorded in status "
                + "and as an Event.")
        Force force,

        @JsonPropertyDescription(
                "Keeps the retired root's keys in a Secret signet-ca-archive-<time> instead of " + "destroying them.")
        Boolean archiveOldKey) {

    /** The new root: {@code generate} or {@code secretRef}, not both. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(
            value = "!(has(self.generate) && has(self.secretRef))",
            message = "give either generate or secretRef, not both")
    public record NewRoot(
            @JsonPropertyDescription("Generates the new root and its intermediate.")
            Generate generate,

            @JsonPropertyDescription("A Secret in the control plane's namespace holding the new CA as plug-in files "
                    + "(ca-cert.pem, ca-key.pem, cert-chain.pem, root-cert.pem, optionally root-key.pem).")
            SecretRef secretRef) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Generate(
            @JsonPropertyDescription("Key algorithm: ec-p256 (the default), ec-p384, rsa-2048, rsa-3072 or rsa-4096.")
            @Pattern("^(ec-p256|ec-p384|rsa-2048|rsa-3072|rsa-4096)$")
            String algorithm,

            @JsonPropertyDescription("The new root's validity, such as 3650d (the default) or 8760h.")
            @Pattern("^[0-9]+(s|m|h|d)$")
            String validity) {}

    public record SecretRef(
            @JsonPropertyDescription("The Secret's name, in the control plane's namespace.")
            @io.fabric8.generator.annotation.Required
            String name) {}

    public record Force(
            @JsonPropertyDescription("Why the gate is passed without its condition; kept in status and the Event.")
            @io.fabric8.generator.annotation.Required
            @io.fabric8.generator.annotation.Size(min = 1)
            String reason) {}
}
