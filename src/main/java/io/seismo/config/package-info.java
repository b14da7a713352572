/**
 * Seismo's configuration: one table of keys (type, default, validator, doc and the record component each fills), parsed
 * and validated once into an immutable record whose enum-valued keys are enums, from built-in defaults, a command's own
 * defaults, a file, the environment and command-line flags in that order of precedence. Each row is a constant of
 * {@link io.seismo.config.ConfigDef} typed by its value; code that sets keys names them through these constants in
 * {@link io.seismo.config.Overrides}, so a key's name is written in the table only. Imports only the JDK, so every
 * layer may read it.
 */
package io.seismo.config;
