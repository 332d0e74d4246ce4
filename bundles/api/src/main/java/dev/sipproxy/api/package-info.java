/** What the proxy's bundles share: SIP Server pairs and their state, admission control, the event catalogue. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package dev.sipproxy.api;
