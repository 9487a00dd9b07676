/**
 * Rules for media players and the house's voice: pause, resume, next, previous, play, absolute and relative volume,
 * mute, and broadcasts. A device other than a media player named in the sentence ("stop the fan") is no media request.
 */
import type { IntentSlots } from '../../types/pipeline.js';
import { all, first, type Parsed } from '../parse.js';
import { targetSlots } from '../targets.js';
import { DEVICE_KIND_WORDS, MEDIA_CLASS_WORDS } from '../vocabulary.js';
import { hit, raw, type Rule } from './common.js';

/** "broadcast dinner is ready", "announce that we are leaving": the message as said (capitals kept). */
export const broadcast: Rule = (p) => {
  const m = /^(?:broadcast|announce)(?: that| to (?:everyone|the house|all rooms|every room))?:? (.+)$/.exec(raw(p));
  return m ? hit('HassBroadcast', 'broadcast', { message: recoverCase(p.text, m[1]!) }) : undefined;
};

function mediaTarget(p: Parsed): IntentSlots {
  const t = targetSlots(p);
  const out: IntentSlots = {};
  if (t.name) out.name = t.name;
  if (t.area) out.area = t.area;
  if (t.here) out.here = true;
  return out;
}

export const media: Rule = (p) => {
  const s = p.skeleton;
  const r = raw(p);
  const name = first(p, 'name');
  const isMediaName = !name || name.domain === 'media_player';
  if (!isMediaName) return undefined;
  const otherKind = all(p, 'kind').some((k) => k.domain !== 'media_player'); // "stop the fan" is no media
  const volume = volumeRequest(p, r, name !== undefined || all(p, 'kind').some((k) => k.domain === 'media_player'));
  if (volume) return volume;
  if (/\bunmute\b|\bturn (the )?sound (back )?on\b/.test(r) && !otherKind) return hit('HassMediaPlayerUnmute', 'media-unmute', mediaTarget(p));
  if (/\b(mute|silence)\b/.test(r) && !otherKind) return hit('HassMediaPlayerMute', 'media-mute', mediaTarget(p));
  if (/^(NAME |AREA )?(pause|stop)\b|\b(pause|stop) (the )?(music|media|song|track|playback|tv|NAME|movie|video|AREA)\b|\bpause$/.test(s) && !otherKind) return hit('HassMediaPause', 'media-pause', mediaTarget(p));
  if (/^(NAME )?(resume|unpause)\b|\b(resume|unpause|continue) (the )?(music|media|playback|song|NAME|video)\b/.test(s)) return hit('HassMediaUnpause', 'media-unpause', mediaTarget(p));
  if (/\b(skip|next)\b( (song|track|item|one|episode|chapter))?|\bskip\b/.test(s) && !/\btimer\b/.test(s)) return hit('HassMediaNext', 'media-next', mediaTarget(p));
  if (/\b(previous|go back|replay|last (song|track) again|play (the )?last (song|track)|play (it|that) again)\b/.test(s)) return hit('HassMediaPrevious', 'media-previous', mediaTarget(p));
  const play = /^(play|put on|listen to|watch) (.+)$/.exec(r);
  if (play && !first(p, 'kind')?.domain.match(/light|switch|fan|cover/)) {
    let q = play[2]!;
    const slots: IntentSlots = {};
    const area = all(p, 'area').at(-1); // where to play is said last: "play The Office in the kitchen"
    if (area) {
      const at = new RegExp(`\\s*\\b(in|on|at) (the )?${escape(area.value.toLowerCase())}$`);
      if (at.test(q)) { slots.area = area.value; q = q.replace(at, ''); }
    }
    if (name) {
      const on = new RegExp(`\\s*\\b(on|in|through) (the )?${escape(name.value.toLowerCase())}$`);
      if (on.test(q)) { slots.name = name.value; q = q.replace(on, ''); }
    }
    // "on the TV", "through the speaker": where to play it, not what.
    q = q.replace(MEDIA_PLAYER_AT, '');
    for (const [w, cls] of Object.entries(MEDIA_CLASS_WORDS).sort((a, b) => b[0].length - a[0].length)) {
      const re = new RegExp(`^(the )?${w} (.+)$|^(the )?(.+) ${w}$`);
      const m = re.exec(q);
      if (m) { slots.media_class = cls; q = (m[2] ?? m[4])!; break; }
    }
    q = q.replace(/^the (?=.+ (playlist|album)$)/, '');
    const original = recoverCase(p.text, q);
    return hit('HassMediaSearchAndPlay', 'media-play', { ...slots, search_query: original });
  }
  return undefined;
};

const UP = /\b(up|louder|increase|raise|higher|boost|crank)\b/;
const DOWN = /\b(down|quieter|softer|lower|decrease|reduce)\b/;

/**
 * "set the volume to 40": HassSetVolume; "turn it up", "louder", "increase the volume by 10", "turn the tv down":
 * HassSetVolumeRelative (volume_step up, down, or a signed number), as Home Assistant names them.
 */
function volumeRequest(p: Parsed, r: string, media: boolean) {
  const saysVolume = /\b(volume|louder|quieter|softer|sound)\b/.test(r);
  if (!saysVolume && !(media && /\bturn (\S+ ){0,4}?(up|down)\b/.test(r))) return undefined;
  const n = p.numbers[p.numbers.length - 1];
  const relative = /\bby \d/.test(r) || !/\b(to|at) \d/.test(r);
  if (n !== undefined && !relative && /\bvolume\b/.test(r)) return hit('HassSetVolume', 'volume', { ...mediaTarget(p), volume_level: n });
  const up = UP.test(r), down = DOWN.test(r);
  if (up === down) return n !== undefined && /\bvolume\b/.test(r) ? hit('HassSetVolume', 'volume', { ...mediaTarget(p), volume_level: n }) : undefined;
  const step = n !== undefined && /\bby \d/.test(r) ? (up ? n : -n) : up ? 'up' : 'down';
  return hit('HassSetVolumeRelative', 'volume-step', { ...mediaTarget(p), volume_step: step });
}

/** "on the TV", "through my speakers" at the end of a play request: the media player's kind words, plural too. */
const MEDIA_PLAYER_AT = new RegExp(`\\s*\\b(on|in|through) (the |my )?(${Object.entries(DEVICE_KIND_WORDS)
  .filter(([, k]) => k.domain === 'media_player').map(([w]) => `${w}s?`).join('|')})$`);

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Finds the normalised query in the original text to keep its capitals ("The Office"). */
function recoverCase(original: string, q: string): string {
  const i = original.toLowerCase().indexOf(q);
  return i >= 0 ? original.slice(i, i + q.length) : q;
}
