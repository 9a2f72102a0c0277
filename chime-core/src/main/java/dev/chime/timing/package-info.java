/** Cron parsing and next-fire computation in a time zone; pure functions of their inputs. */
package dev.chime.timing;
