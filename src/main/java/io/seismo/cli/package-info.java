/**
 * The {@code seismo} command line: one picocli class per verb, each parsing its options, calling one service of a
 * feature package and printing the answer, plus what only a terminal needs (progress, the embedded broker's lifecycle
 * for a command, the HTTP server's start). May import every other package; nothing imports it.
 */
package io.seismo.cli;
