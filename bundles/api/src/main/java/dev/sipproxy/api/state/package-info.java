/** State that a component keeps across a restart or update of its bundle within one run of the framework. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.sipproxy.api.state;
