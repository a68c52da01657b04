/**
 * The settings of {@code signet serve}, each declared once ({@link dev.signet.controlplane.config.ServeSettings}):
 * its key, default, help text and type. The command line's options, the {@code SIGNET_…} variables, the
 * {@code -Dsignet.…} properties and the tests' configurations are all read through that one declaration.
 */
package dev.signet.controlplane.config;
