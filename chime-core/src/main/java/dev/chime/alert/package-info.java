/**
 * Alerts: a tenant's notification channels, the rules that watch its schedules, the incidents a
 * broken rule opens and closes, and the deliveries that tell the channels. The rules are judged and
 * the deliveries sent by the server; what is stored is here and in {@code dev.chime.store}.
 */
package dev.chime.alert;
