/**
 * Secrets at rest: {@link dev.chime.secret.SecretBox} seals text with AES-GCM under the node's
 * secrets key, so that a dump of the database gives away no header value or signing secret.
 */
package dev.chime.secret;
