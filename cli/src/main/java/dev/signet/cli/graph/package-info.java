/** {@code signet graph}: pictures of who may call whom (Graphviz DOT, Mermaid, SVG, one HTML page, JSON). */
package dev.signet.cli.graph;
