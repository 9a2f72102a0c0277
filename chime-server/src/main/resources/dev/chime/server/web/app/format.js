// Times, triggers and outcomes in words, in the viewer's language and zone.

export const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const formats = new Map();

function formatIn(zone, withSeconds, withYear = true) {
  const key = zone + (withSeconds ? ':s' : '') + (withYear ? ':y' : '');
  if (!formats.has(key)) {
    formats.set(
      key,
      new Intl.DateTimeFormat(undefined, {
        timeZone: zone,
        year: withYear ? 'numeric' : undefined,
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: withSeconds ? '2-digit' : undefined,
        timeZoneName: 'short',
      }),
    );
  }
  return formats.get(key);
}

/** An instant as a date and time in a zone (the viewer's by default). */
export function absolute(iso, zone = viewerZone, withSeconds = false) {
  if (!iso) return '';
  try {
    return formatIn(zone, withSeconds).format(new Date(iso));
  } catch (e) {
    return iso;
  }
}

/** The same, shorter: no year within this year, no seconds ("Dec 2, 09:00 AM GMT+8"). */
export function short(iso, zone = viewerZone) {
  if (!iso) return '';
  try {
    const date = new Date(iso);
    return formatIn(zone, false, date.getFullYear() !== new Date().getFullYear()).format(date);
  } catch (e) {
    return iso;
  }
}

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "in 5 minutes", "3 hours ago". */
export function relative(iso, now = Date.now()) {
  if (!iso) return '';
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const magnitude = Math.abs(seconds);
  if (magnitude < 1) return 'now';
  for (const [unit, size] of UNITS) {
    if (magnitude >= size || unit === 'second') {
      return relativeFormat.format(Math.round(seconds / size), unit);
    }
  }
  return '';
}

/** 90 -> "1 min 30 s"; 86400 -> "1 day". */
export function duration(totalSeconds) {
  if (totalSeconds === null || totalSeconds === undefined || isNaN(totalSeconds)) return '';
  let rest = Math.round(totalSeconds);
  const parts = [];
  for (const [unit, size, short] of [
    ['day', 86400, ' day'],
    ['hour', 3600, ' h'],
    ['minute', 60, ' min'],
    ['second', 1, ' s'],
  ]) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(count + short + (unit === 'day' && count > 1 ? 's' : ''));
      rest -= count * size;
    }
  }
  return parts.length ? parts.slice(0, 2).join(' ') : '0 s';
}

export function millis(ms) {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return ms + ' ms';
  if (ms < 60000) return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
  return duration(ms / 1000);
}

/** An interval or a one-off in words; a cron's words come from the API's preview. */
export function triggerWords(trigger) {
  if (!trigger) return '';
  switch (trigger.type) {
    case 'interval':
      return 'Every ' + duration(trigger.seconds);
    case 'once':
      return 'Once, at ' + absolute(trigger.at);
    case 'cron':
      return trigger.expr;
    default:
      return trigger.type;
  }
}

export function host(url) {
  try {
    return new URL(url).host;
  } catch (e) {
    return url || '';
  }
}

/** Header names whose values are secrets, shown masked unless asked for. */
export function isSecretHeader(name) {
  return /authorization|token|secret|key|password|cookie|signature|credential/i.test(name || '');
}

export const STATUS_WORDS = {
  queued: 'Queued',
  running: 'Running',
  success: 'Succeeded',
  failed: 'Failed',
  timeout: 'Timed out',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
};

export const ERROR_WORDS = {
  http_status: 'The target answered with an error status',
  timeout: 'The target took too long to answer',
  connection_refused: 'Nothing accepted the connection at the target’s address',
  unknown_host: 'The target’s host name could not be found',
  tls_error: 'The secure connection (TLS) to the target failed',
  io_error: 'The connection to the target broke',
  shutdown: 'Chime stopped before the target answered',
  internal_error: 'Chime failed inside; see its log',
  deadline: 'No result arrived before the run’s deadline',
  reported_failure: 'The target reported that it failed',
  cancelled: 'Cancelled by a user',
  missed: 'Missed while no node was running',
  overlap: 'Skipped or cancelled because another run was still going (overlap policy)',
  node_restarted: 'The node running it restarted',
  node_lost: 'The node running it was lost',
  invalid_target: 'The target is not a valid request',
};

/** The offset of a zone at an instant, in minutes east of UTC. */
function offsetMinutes(zone, epochMs) {
  const parts = {};
  for (const part of new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(epochMs))) {
    parts[part.type] = part.value;
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60000);
}

/** A wall time "2026-12-01T09:30" in a zone as an ISO instant (UTC), or null. */
export function wallTimeToInstant(local, zone) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local || '');
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map((v) => (v === undefined ? '0' : v));
  const guess = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  try {
    let instant = guess - offsetMinutes(zone, guess) * 60000;
    instant = guess - offsetMinutes(zone, instant) * 60000;
    return new Date(instant).toISOString().replace('.000Z', 'Z');
  } catch (e) {
    return null;
  }
}

/** An ISO instant as the wall time "2026-12-01T09:30" in a zone, for a datetime-local input. */
export function instantToWallTime(iso, zone) {
  if (!iso) return '';
  const epoch = new Date(iso).getTime();
  try {
    const local = new Date(epoch + offsetMinutes(zone, epoch) * 60000);
    return local.toISOString().slice(0, 16);
  } catch (e) {
    return '';
  }
}
