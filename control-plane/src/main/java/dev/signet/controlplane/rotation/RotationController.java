package dev.signet.controlplane.rotation;

import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.authority.CaMaterial;
import dev.signet.ca.authority.CertifiedKey;
import dev.signet.ca.authority.MintedAuthority;
import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Drives root rotations: holds the durable {@link RotationRecord} and both authorities, judges the current gate on
 * each {@link #tick()}, and when the rotation moves, records the new phase first and then makes it so (the signer,
 * the bundle everywhere, renewal requests). After a crash the record alone restores the same phase.
 *
 * <p>A gate must stay open for {@link RotationSettings#settle()} before the rotation moves on: a confirmation means
 * the agent wrote the file, and the workload reads it only on its next refresh. Thread-safe: every entry point holds
 * the controller's lock, so two phases are never applied at once.
 */
public final class RotationController {

    private static final Logger LOG = Logger.getLogger(RotationController.class.getName());
    /** The least time given to agents asked to renew before they are asked again: each renewal takes a round trip. */
    private static final Duration MIN_PATIENCE = Duration.ofSeconds(5);

    /** What the gates are judged on: the bundle confirmations and the leaves in use under the two authorities. */
    public interface Observer {
        /**
         * {@code oldRoot}: the root being replaced; {@code crossLinked}: the authority id of leaves whose chain carries
         * the new root cross-signed by the old (counted in RETIRE only); {@code bundleVersion}: the bundle in force,
         * whose reach over the namespaces is counted.
         */
        Observations observe(String oldRoot, Optional<String> crossLinked, long bundleVersion);
    }

    /** What the control plane does when the phase changes. */
    public interface Effects {

        /** Makes {@code signer} sign from now on and {@code bundle} the bundle published everywhere a bundle goes. */
        void apply(SigningAuthority signer, TrustBundle bundle);

        /** Asks the workloads holding a leaf filed under {@code authorityId} to renew within {@code spread}. */
        void requestRenewal(String authorityId, TrustBundle bundle, Duration spread);
    }

    private final String trustDomain;
    private final RotationStore store;
    private final Observer observer;
    private final Effects effects;
    private final RotationSettings settings;
    private final CryptoProviders providers;
    private final AuthorityMinter minter;
    private final Clock clock;

    private RotationRecord record;
    /** The CA in use before any rotation: {@code ca/} or the CA Secret. */
    private CaDirectory.Contents current;
    /** The other authority while a rotation holds one. */
    private Optional<CaDirectory.Contents> candidate;
    /** Cross-signed certificates, by "issuer fingerprint > subject fingerprint". */
    private final Map<String, X509Certificate> crossSigned = new HashMap<>();

    private Instant gateOpenSince;
    private PendingForce forcing;
    private Instant lastRenewalRequest;

    public RotationController(
            String trustDomain,
            CaDirectory.Contents current,
            RotationStore store,
            Observer observer,
            Effects effects,
            RotationSettings settings,
            CryptoProviders providers,
            AuthorityMinter minter,
            Clock clock)
            throws IOException {
        this.trustDomain = trustDomain;
        this.current = current;
        this.store = store;
        this.observer = observer;
        this.effects = effects;
        this.settings = settings;
        this.providers = providers;
        this.minter = minter;
        this.clock = clock;
        this.record = store.load();
        this.candidate = store.candidate().map(material -> material.load(providers));
        resume();
    }

    /** Restores what the record says: a finished rotation's clean-up, or the phase in progress. */
    private void resume() throws IOException {
        Optional<RootRotation> rotation = record.rotation();
        if (rotation.isPresent() && rotation.get().complete() && candidate.isPresent()) {
            finish(rotation.get());
        } else if (rotation.isPresent() && !rotation.get().complete()) {
            RootRotation r = rotation.get();
            if (!holdsBoth(r)) {
                throw new IOException("rotation " + r.id() + " is in " + r.phase() + " but the CA for root "
                        + (authority(r.fromRoot()).isEmpty() ? r.fromRoot() : r.toRoot()) + " is missing; restore it "
                        + "from a backup of the state before starting again");
            }
            LOG.info(() -> "resuming rotation " + r.id() + " in phase " + r.phase());
        }
    }

    /** The signer and bundle the record implies: applied once at start, then at each change. */
    public synchronized SigningAuthority signer() {
        return record.inProgress().map(this::signerFor).orElse(current.signer());
    }

    public synchronized TrustBundle bundle() {
        return record.inProgress()
                .map(this::bundleFor)
                .orElseGet(() -> TrustBundle.of(
                        record.bundleVersion(), List.of(current.signer().root())));
    }

    /** The rotation on record (in progress or last finished), without judging its gate. */
    public synchronized Optional<RootRotation> rotation() {
        return record.rotation();
    }

    public synchronized RotationStatus status() {
        Optional<RootRotation> rotation = record.rotation();
        if (rotation.isEmpty()) {
            return new RotationStatus(
                    Optional.empty(),
                    record.bundleVersion(),
                    Optional.empty(),
                    "no rotation",
                    true,
                    0,
                    0,
                    List.of(),
                    0,
                    0,
                    0,
                    Map.of(),
                    List.of());
        }
        RootRotation r = rotation.get();
        Observations seen = observe(r);
        Gate gate = r.gate(seen);
        return new RotationStatus(
                rotation,
                record.bundleVersion(),
                Optional.of(r.phase()),
                gate.summary(),
                gate.open(),
                r.complete() ? 0 : gate.confirmed(),
                r.complete() ? 0 : gate.total(),
                gate.laggards(),
                seen.namespacesPublished(),
                seen.namespacesTotal(),
                seen.oldRootLeavesInUse(),
                r.enteredAt(),
                r.forced());
    }

    /** Starts a rotation to a new root; refused while one is in progress. */
    public synchronized RotationStatus start(RotationRequest request) {
        return start(
                request,
                "rot-" + clock.instant().toString().replaceAll("[^0-9]", "").substring(0, 14));
    }

    /** Starts a rotation named {@code id} (the name of the resource that asked for it, in a cluster). */
    public synchronized RotationStatus start(RotationRequest request, String id) {
        record.inProgress().ifPresent(r -> {
            throw new RotationRefused("rotation " + r.id() + " is in " + r.phase()
                    + "; roll it back or let it complete " + "before starting another");
        });
        CaMaterial material = request.supplied().orElseGet(() -> CaMaterial.of(generate(request), "generated"));
        CaDirectory.Contents next = material.load(providers);
        String from = current.signer().rootFingerprint();
        String to = next.signer().rootFingerprint();
        if (from.equals(to)) {
            throw new RotationRefused("the new root is the root in use (" + from.substring(0, 16) + "…)");
        }
        if (!next.signer().trustDomain().map(trustDomain::equals).orElse(true)) {
            throw new RotationRefused("the new CA is for trust domain "
                    + next.signer().trustDomain().get() + ", not " + trustDomain);
        }
        Instant now = clock.instant();
        RootRotation started = RootRotation.start(id, from, to, request.mode(), record.bundleVersion(), now);
        try {
            store.saveCandidate(material);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the new CA; the rotation did not start", e);
        }
        candidate = Optional.of(next);
        LOG.info(() -> "rotation " + id + " started (" + request.mode() + "): root " + from.substring(0, 16)
                + "… is to be replaced by " + to.substring(0, 16) + "…");
        moveTo(started, request.archive());
        return status();
    }

    /** Manual mode: lets the rotation take its next phase once that phase's gate opens. */
    public synchronized RotationStatus advance() {
        RootRotation r = requireInProgress();
        record = save(record.with(r.allowNextPhase()));
        tick();
        return status();
    }

    /**
     * Replaces the issuing (intermediate) CA under the unchanged root. Leaves of the old intermediate still chain to
     * the same root, so the bundle stays as it is, no phase is needed and nothing is renewed early: new leaves simply
     * come from the new intermediate. Stored the way a root rotation promotes its CA, so a crash leaves one or the
     * other. Refused while a root rotation runs, and without the root's key (a plug-in CA whose root signs elsewhere).
     */
    public synchronized SigningAuthority rotateIssuer(KeyType keyType, Duration validity) {
        record.inProgress().ifPresent(r -> {
            throw new RotationRefused(
                    "rotation " + r.id() + " is in " + r.phase() + "; rotate the issuer once it " + "completes");
        });
        if (validity.isNegative() || validity.isZero()) {
            throw new RotationRefused("the new issuer's validity must be positive, not " + validity);
        }
        PrivateKey rootKey = current.rootKey()
                .orElseThrow(() -> new RotationRefused("the root's key is not here (a "
                        + "plug-in CA without root-key.pem): sign a new intermediate where the root's key is kept and install "
                        + "it as the CA"));
        CertifiedKey root = new CertifiedKey(current.signer().root(), rootKey);
        CertifiedKey issuer = minter.newIntermediate(root, trustDomain, keyType, validity);
        CaMaterial material = CaMaterial.of(
                new MintedAuthority(root, SigningAuthority.of(issuer, List.of(), root.certificate(), providers)),
                "issuer rotation");
        CaDirectory.Contents next = material.load(providers);
        try {
            store.saveCandidate(material);
            store.finish(true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the new issuer; the old one stays in use", e);
        }
        current = next;
        effects.apply(signer(), bundle());
        LOG.info(() -> "the issuer is now "
                + issuer.certificate().getSubjectX500Principal().getName() + ", valid until "
                + issuer.certificate().getNotAfter().toInstant() + ", under the same root");
        return current.signer();
    }

    /** Manual mode: lets the rotation take every phase up to {@code phase}, each once its gate opens. */
    public synchronized RotationStatus allowUpTo(RotationPhase phase) {
        RootRotation r = requireInProgress();
        RootRotation allowed = r.allowUpTo(phase);
        if (allowed != r) {
            record = save(record.with(allowed));
            tick();
        }
        return status();
    }

    /**
     * Passes the current gate for {@code reason}, kept in the record. The rotation still waits the settle time before
     * it moves: workloads may have written files a moment ago (renewals, a bundle) that they have not read yet.
     */
    public synchronized RotationStatus force(String reason) {
        RootRotation r = requireInProgress();
        r.force(reason, clock.instant()); // refuses a blank reason before anything is noted
        if (forcing != null && forcing.rotation() == r && forcing.reason().equals(reason.strip())) {
            return status(); // asked again while it waits out the settle time: the wait is not restarted
        }
        forcing = new PendingForce(r, reason.strip(), clock.instant());
        LOG.warning(() -> "rotation " + r.id() + ": the " + r.phase() + " gate is forced (" + reason.strip()
                + "); it passes after the settle time of " + settings.settle().toMillis() + " ms");
        tick();
        return status();
    }

    /** A force asked for and not yet applied: for the rotation exactly as it stood then. */
    private record PendingForce(RootRotation rotation, String reason, Instant at) {}

    /** Turns the rotation back towards the root it started from; it then walks the same gates. */
    public synchronized RotationStatus rollBack() {
        RootRotation r = requireInProgress();
        RootRotation back = r.rollBack(clock.instant());
        LOG.warning(() -> "rotation " + r.id() + " rolled back from " + r.phase() + "; re-entering at " + back.phase());
        moveTo(back);
        return status();
    }

    /**
     * For a replica that does not drive the rotation: takes up what the driving replica recorded and makes it so
     * here (signer, bundle to this replica's agents, renewal requests to them). A no-op while nothing changed.
     */
    public synchronized void follow() {
        RotationRecord stored;
        try {
            stored = store.load();
        } catch (IOException e) {
            LOG.warning(() -> "cannot read the rotation's state; keeping phase "
                    + record.rotation().map(RootRotation::phase).map(Enum::name).orElse("none") + ": "
                    + e.getMessage());
            return;
        }
        if (stored.equals(record)) {
            stored.inProgress().ifPresent(r -> renewAgainIfDue(r, observe(r), clock.instant()));
            return;
        }
        RootRotation previous = record.inProgress().orElse(null);
        Optional<RootRotation> next = stored.rotation();
        try {
            if (next.isPresent() && !holdsBoth(next.get())) {
                candidate = store.candidate().map(material -> material.load(providers));
                crossSigned.clear();
            }
        } catch (IOException e) {
            LOG.warning(() -> "cannot read the new CA of the rotation; retrying: " + e.getMessage());
            return;
        }
        if (next.isPresent() && !next.get().complete() && !holdsBoth(next.get())) {
            LOG.warning(() -> "rotation " + next.get().id() + " names a CA this replica cannot load yet; retrying");
            return;
        }
        if (next.isPresent() && next.get().complete()) {
            // The driving replica promotes the CA in the store; here only what signs changes.
            String to = next.get().toRoot();
            candidate.filter(c -> c.signer().rootFingerprint().equals(to)).ifPresent(c -> current = c);
            candidate = Optional.empty();
            crossSigned.clear();
            if (!current.signer().rootFingerprint().equals(to)) {
                LOG.severe(() -> "rotation " + next.get().id() + " completed to a CA this replica never loaded; "
                        + "restart it to load the CA in use");
                return;
            }
        }
        record = stored;
        gateOpenSince = null;
        effects.apply(signer(), bundle());
        stored.inProgress().ifPresent(r -> {
            if (previous == null
                    || previous.phase() != r.phase()
                    || !previous.id().equals(r.id())) {
                requestRenewals(r);
            }
        });
        LOG.info(() -> "following rotation "
                + stored.rotation().map(r -> r.id() + " in " + r.phase()).orElse("none") + ", bundle v"
                + stored.bundleVersion());
    }

    /** Judges the gate; moves the rotation on when it has stayed open for the settle time. */
    public synchronized void tick() {
        Optional<RootRotation> inProgress = record.inProgress();
        if (inProgress.isEmpty()) {
            gateOpenSince = null;
            return;
        }
        RootRotation r = inProgress.get();
        Instant now = clock.instant();
        if (forcing != null && forcing.rotation() == r) {
            if (Duration.between(forcing.at(), now).compareTo(settings.settle()) >= 0) {
                RootRotation forced = r.force(forcing.reason(), now);
                forcing = null;
                // A forced gate may leave leaves in use under the retiring root: its keys are kept, not destroyed.
                moveTo(forced, true);
            }
            return;
        }
        forcing = null;
        Observations seen = observe(r);
        if (!r.gate(seen).open()) {
            gateOpenSince = null;
            renewAgainIfDue(r, seen, now);
            return;
        }
        if (gateOpenSince == null) {
            gateOpenSince = now;
        }
        if (Duration.between(gateOpenSince, now).compareTo(settings.settle()) < 0) {
            return;
        }
        RootRotation next = r.advance(seen, now);
        if (next != r) {
            moveTo(next);
        }
    }

    /**
     * Workloads that were not connected when renewals were asked for (a restarted agent, a control plane restarted
     * mid-phase) are asked again once the last window has passed.
     */
    private void renewAgainIfDue(RootRotation r, Observations seen, Instant now) {
        Optional<String> replaced = replacedAuthority(r);
        long holders = leavesToReplace(r, seen);
        if (replaced.isEmpty() || holders == 0) {
            return;
        }
        Duration spread = settings.spreadFor(holders);
        Duration patience = spread.multipliedBy(2).plus(settings.settle());
        if (patience.compareTo(MIN_PATIENCE) < 0) {
            patience = MIN_PATIENCE;
        }
        if (lastRenewalRequest == null || lastRenewalRequest.plus(patience).isBefore(now)) {
            lastRenewalRequest = now;
            effects.requestRenewal(replaced.get(), bundleFor(r), spread);
        }
    }

    /**
     * The authority whose leaves this phase replaces: the old root's in ACTIVATE, the cross-linked ones in RETIRE.
     */
    private Optional<String> replacedAuthority(RootRotation r) {
        return switch (r.phase()) {
            case ACTIVATE -> Optional.of(r.fromRoot());
            case RETIRE -> crossLinkedId(r);
            case PREPARE, COMPLETE -> Optional.empty();
        };
    }

    /** How many leaves in use this phase replaces (see {@link #replacedAuthority}). */
    private static long leavesToReplace(RootRotation r, Observations seen) {
        return r.phase() == RotationPhase.ACTIVATE ? seen.oldRootLeavesInUse() : seen.crossLinkedLeavesInUse();
    }

    private Observations observe(RootRotation r) {
        return observer.observe(
                r.fromRoot(),
                r.phase() == RotationPhase.RETIRE ? crossLinkedId(r) : Optional.empty(),
                bundle().version());
    }

    /** The inventory id of leaves signed in this rotation's ACTIVATE, if their chains carried a cross-signed link. */
    private Optional<String> crossLinkedId(RootRotation r) {
        if (authority(r.fromRoot()).flatMap(CaDirectory.Contents::rootKey).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(crossLinked(r).authorityId());
    }

    private void moveTo(RootRotation next) {
        moveTo(next, record.archiveOldKey());
    }

    /** Records {@code next}, then makes it so. */
    private void moveTo(RootRotation next, boolean archive) {
        RootRotation previous = record.inProgress().orElse(null);
        record = save(record.with(next).archiving(archive));
        gateOpenSince = null;
        if (next.complete()) {
            try {
                finish(next);
            } catch (IOException e) {
                // The record says COMPLETE; the next start repeats the clean-up.
                LOG.warning(() -> "rotation " + next.id() + " completed but its clean-up failed (retried at the next "
                        + "start): " + e.getMessage());
            }
        }
        effects.apply(signer(), bundle());
        if (previous == null || previous.phase() != next.phase()) {
            requestRenewals(next);
        }
        LOG.info(() -> "rotation " + next.id() + " is in " + next.phase() + ", bundle v" + next.bundleVersion());
    }

    /** Asks the holders of the leaves {@code r}'s phase replaces, if any, to renew within the rate-capped spread. */
    private void requestRenewals(RootRotation r) {
        Optional<String> replaced = replacedAuthority(r);
        if (replaced.isPresent()) {
            lastRenewalRequest = clock.instant();
            effects.requestRenewal(replaced.get(), bundleFor(r), settings.spreadFor(leavesToReplace(r, observe(r))));
        }
    }

    /** The rotation ended in {@code done.toRoot()}: that authority is the CA from now on, the other's keys go. */
    private void finish(RootRotation done) throws IOException {
        boolean promote = candidate
                .map(c -> c.signer().rootFingerprint().equals(done.toRoot()))
                .orElse(false);
        store.finish(promote, record.archiveOldKey());
        if (promote) {
            current = candidate.get();
        }
        candidate = Optional.empty();
        crossSigned.clear();
    }

    private SigningAuthority signerFor(RootRotation r) {
        SigningAuthority signer = require(r.signingRoot()).signer();
        if (r.phase() != RotationPhase.ACTIVATE
                || require(r.fromRoot()).rootKey().isEmpty()) {
            return signer;
        }
        // Leaves under the new root carry it cross-signed by the old one, for peers that still trust only the old.
        return crossLinked(r);
    }

    /** The new root's signer with the new root cross-signed by the old root's key (which must be there). */
    private SigningAuthority crossLinked(RootRotation r) {
        SigningAuthority signer = require(r.toRoot()).signer();
        CaDirectory.Contents old = require(r.fromRoot());
        X509Certificate cross = crossSigned.computeIfAbsent(
                r.fromRoot() + ">" + r.toRoot(),
                key -> minter.crossSign(
                        new CertifiedKey(old.signer().root(), old.rootKey().orElseThrow()), signer.root()));
        return signer.withCrossSigned(cross);
    }

    private TrustBundle bundleFor(RootRotation r) {
        return TrustBundle.of(
                r.bundleVersion(),
                r.trustedRoots().stream().map(fp -> require(fp).signer().root()).toList());
    }

    /** Whether both of {@code r}'s authorities are loaded here. */
    private boolean holdsBoth(RootRotation r) {
        return authority(r.fromRoot()).isPresent() && authority(r.toRoot()).isPresent();
    }

    private Optional<CaDirectory.Contents> authority(String rootFingerprint) {
        if (current.signer().rootFingerprint().equals(rootFingerprint)) {
            return Optional.of(current);
        }
        return candidate.filter(c -> c.signer().rootFingerprint().equals(rootFingerprint));
    }

    private CaDirectory.Contents require(String rootFingerprint) {
        return authority(rootFingerprint)
                .orElseThrow(() -> new IllegalStateException("no CA for root " + rootFingerprint + " is loaded"));
    }

    private RootRotation requireInProgress() {
        return record.inProgress().orElseThrow(() -> new RotationRefused("no rotation is in progress"));
    }

    private MintedAuthority generate(RotationRequest request) {
        return minter.mint(
                trustDomain, request.keyType(), request.rootValidity(), AuthorityMinter.DEFAULT_INTERMEDIATE_VALIDITY);
    }

    /** Stores {@code next} and returns it; on failure nothing changed, here or on disk. */
    private RotationRecord save(RotationRecord next) {
        try {
            store.save(next);
            return next;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the rotation's state; nothing was changed", e);
        }
    }
}
