package dev.signet.controlplane.rotation;

import dev.signet.ca.authority.AuthorityMinter;
import dev.signet.ca.authority.CaDirectory;
import dev.signet.ca.authority.CaMaterial;
import dev.signet.ca.authority.MintedAuthority;
import dev.signet.ca.authority.SigningAuthority;
import dev.signet.ca.bundle.TrustBundle;
import dev.signet.ca.crypto.CryptoProviders;
import dev.signet.ca.crypto.KeyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 *
 * <p>Why it is over 300 lines: its entry points (start, advance, force, roll back, follow, tick) all read and write
 * the one record under the one lock, and each change keeps the order "record first, then apply". Split further, that
 * lock and that order would have to be shared between classes. What needs neither is apart: the phase rules
 * ({@link RootRotation}, {@link Gate}), the authorities ({@link HeldAuthorities}), renewal requests
 * ({@link RenewalPacing}) and the issuer's replacement ({@link IssuerRotation}).
 */
public final class RotationController {

    private static final Logger LOG = Logger.getLogger(RotationController.class.getName());

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

    private final HeldAuthorities authorities;
    private final RenewalPacing renewals;
    private final IssuerRotation issuers;

    private RotationRecord record;
    private Instant gateOpenSince;
    private PendingForce forcing;

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
        this.store = store;
        this.observer = observer;
        this.effects = effects;
        this.settings = settings;
        this.providers = providers;
        this.minter = minter;
        this.clock = clock;
        this.record = store.load();
        this.authorities =
                new HeldAuthorities(current, store.candidate().map(material -> material.load(providers)), minter);
        this.renewals = new RenewalPacing(effects, settings, clock);
        this.issuers = new IssuerRotation(trustDomain, store, providers, minter);
        resume();
    }

    /** Restores what the record says: a finished rotation's clean-up, or the phase in progress. */
    private void resume() throws IOException {
        Optional<RootRotation> rotation = record.rotation();
        if (rotation.isPresent() && rotation.get().complete() && authorities.holdsCandidate()) {
            finish(rotation.get());
        } else if (rotation.isPresent() && !rotation.get().complete()) {
            RootRotation r = rotation.get();
            if (!authorities.holdsBoth(r)) {
                throw new IOException("rotation " + r.id() + " is in " + r.phase() + " but the CA for root "
                        + (authorities.find(r.fromRoot()).isEmpty() ? r.fromRoot() : r.toRoot())
                        + " is missing; restore it "
                        + "from a backup of the state before starting again");
            }
            LOG.info(() -> "resuming rotation " + r.id() + " in phase " + r.phase());
        }
    }

    /** The signer and bundle the record implies: applied once at start, then at each change. */
    public synchronized SigningAuthority signer() {
        return record.inProgress()
                .map(authorities::signerFor)
                .orElse(authorities.current().signer());
    }

    public synchronized TrustBundle bundle() {
        return record.inProgress()
                .map(authorities::bundleFor)
                .orElseGet(() -> TrustBundle.of(
                        record.bundleVersion(), List.of(authorities.current().signer())));
    }

    /** The rotation on record (in progress or last finished), without judging its gate. */
    public synchronized Optional<RootRotation> rotation() {
        return record.rotation();
    }

    public synchronized RotationStatus status() {
        Optional<RootRotation> rotation = record.rotation();
        if (rotation.isEmpty()) {
            return RotationStatus.none(record.bundleVersion());
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
                r.forced(),
                advancesAt(r, gate));
    }

    /**
     * When the rotation takes its next phase if nothing changes: the settle time after the gate opened (or was
     * forced). Empty while the gate is shut, and for a Manual rotation at its target, which waits for its admin.
     */
    private Optional<Instant> advancesAt(RootRotation r, Gate gate) {
        if (forcing != null && forcing.rotation() == r) {
            return Optional.of(forcing.at().plus(settings.settle()));
        }
        if (r.complete() || !gate.open() || gateOpenSince == null || r.target().compareTo(r.phase()) <= 0) {
            return Optional.empty();
        }
        return Optional.of(gateOpenSince.plus(settings.settle()));
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
        String from = authorities.current().signer().rootFingerprint();
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
        authorities.holdCandidate(Optional.of(next));
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
     * Replaces the issuing (intermediate) CA under the unchanged root (see {@link IssuerRotation}); refused while a
     * root rotation runs.
     */
    public synchronized SigningAuthority rotateIssuer(KeyType keyType, Duration validity) {
        record.inProgress().ifPresent(r -> {
            throw new RotationRefused(
                    "rotation " + r.id() + " is in " + r.phase() + "; rotate the issuer once it completes");
        });
        CaDirectory.Contents next = issuers.replaceIssuerOf(authorities.current(), keyType, validity);
        authorities.replaceCurrent(next);
        effects.apply(signer(), bundle());
        X509Certificate issuer = next.signer().certificate();
        LOG.info(() -> "the issuer is now " + issuer.getSubjectX500Principal().getName() + ", valid until "
                + issuer.getNotAfter().toInstant() + ", under the same root");
        return next.signer();
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
            stored.inProgress().ifPresent(r -> renewAgainIfDue(r, observe(r)));
            return;
        }
        RootRotation previous = record.inProgress().orElse(null);
        Optional<RootRotation> next = stored.rotation();
        try {
            if (next.isPresent() && !authorities.holdsBoth(next.get())) {
                authorities.holdCandidate(store.candidate().map(material -> material.load(providers)));
            }
        } catch (IOException e) {
            LOG.warning(() -> "cannot read the new CA of the rotation; retrying: " + e.getMessage());
            return;
        }
        if (next.isPresent() && !next.get().complete() && !authorities.holdsBoth(next.get())) {
            LOG.warning(() -> "rotation " + next.get().id() + " names a CA this replica cannot load yet; retrying");
            return;
        }
        if (next.isPresent() && next.get().complete()) {
            // The driving replica promotes the CA in the store; here only what signs changes.
            String to = next.get().toRoot();
            authorities.endRotationIn(to);
            if (!authorities.current().signer().rootFingerprint().equals(to)) {
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
            renewAgainIfDue(r, seen);
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

    /** Asks again the holders of leaves this phase replaces that have not renewed yet, once their window is over. */
    private void renewAgainIfDue(RootRotation r, Observations seen) {
        authorities
                .replacedIn(r)
                .ifPresent(id -> renewals.askAgainIfDue(id, authorities.bundleFor(r), leavesToReplace(r, seen)));
    }

    /** How many leaves in use this phase replaces (see {@link HeldAuthorities#replacedIn}). */
    private static long leavesToReplace(RootRotation r, Observations seen) {
        return r.phase() == RotationPhase.ACTIVATE ? seen.oldRootLeavesInUse() : seen.crossLinkedLeavesInUse();
    }

    private Observations observe(RootRotation r) {
        return observer.observe(
                r.fromRoot(),
                r.phase() == RotationPhase.RETIRE ? authorities.crossLinkedId(r) : Optional.empty(),
                bundle().version());
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
        authorities
                .replacedIn(r)
                .ifPresent(id -> renewals.ask(id, authorities.bundleFor(r), leavesToReplace(r, observe(r))));
    }

    /** The rotation ended in {@code done.toRoot()}: that authority is the CA from now on, the other's keys go. */
    private void finish(RootRotation done) throws IOException {
        store.finish(authorities.isCandidate(done.toRoot()), record.archiveOldKey());
        authorities.endRotationIn(done.toRoot());
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
