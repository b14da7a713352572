/**
 * Seismo's configuration: one table of keys (type, default, validator, doc), parsed and validated once into an
 * immutable record, from a file, the environment and command-line flags in that order of precedence. Imports only the
 * JDK, so every layer may read it.
 */
package io.seismo.config;
