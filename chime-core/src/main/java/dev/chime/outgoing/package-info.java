/**
 * What each tenant's calls go out with, read from the database and kept a little while: its signing
 * secrets ({@link dev.chime.outgoing.TenantSigning}) and its target allow-list ({@link
 * dev.chime.outgoing.TenantAllowLists}). Read on the calls' own threads, never on the engine's.
 */
package dev.chime.outgoing;
