/**
 * The {@code signet} command line: one entry point whose subcommands front the libraries and, later, the control
 * plane. Commands print through picocli's writers so that tests capture what a person would see.
 */
package dev.signet.cli;
