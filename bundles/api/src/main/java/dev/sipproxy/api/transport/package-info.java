/** The SIP transport service (JAIN-SIP stack and listening points) and the handler it dispatches to. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.6.0")
package dev.sipproxy.api.transport;
