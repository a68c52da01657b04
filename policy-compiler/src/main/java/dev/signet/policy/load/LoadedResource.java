package dev.signet.policy.load;

import dev.signet.policy.model.Resource;

/**
 * A valid resource, where it came from, and its place in load order: when a resource carries no
 * creationTimestamp (files in standalone mode), load order stands for creation order.
 */
public record LoadedResource(Resource resource, Location location, long sequence) {}
