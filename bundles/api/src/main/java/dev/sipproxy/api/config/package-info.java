/** Parsing of Config Admin values with clear, per-key error messages. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.sipproxy.api.config;
