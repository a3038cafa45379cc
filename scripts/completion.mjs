#!/usr/bin/env node
// Writes the shell completion of every CLI into completion/ (npm run build, after tsc -b):
// completion/zones.bash for bash and completion/_zones for zsh (the same functions, loaded through
// zsh's bashcompinit). Everything they offer comes from core's tables as built: the options of
// core/src/argv/<tool>.ts, zoneadm's and zonesvc's subcommands, and for zonecfg's command words
// what the zonecfg shell's own Tab completion (lang/complete.ts) answers in each position, asked
// here once per position, so the scripts carry the answers and never run node while completing.
// Zone names are the one thing read at completion time: `zoneadm list [-c]` (its fast path).
// docs/reference.md#10-completion says how to load them; `make install` installs them.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const core = (m) => import(join(repo, 'packages/core/dist', `${m}.js`));

const { GLOBAL_OPTIONS, SUBCOMMANDS } = await core('argv/zoneadm');
const { ZONECFG_OPTIONS } = await core('argv/zonecfg');
const { ZLOGIN_OPTIONS } = await core('argv/zlogin');
const { ZONESTAT_OPTIONS, RESOURCE_TYPES } = await core('argv/zonestat');
const { ZONESVC_SUBCOMMANDS, INIT_SYSTEMS } = await core('argv/zonesvc');
const { ZPS_OPTIONS } = await core('argv/zps');
const { ZPGREP_OPTIONS, ZPKILL_OPTIONS } = await core('argv/zpgrep');
const { ZPRSTAT_OPTIONS } = await core('argv/zprstat');
const { PS_FIELDS } = await core('ptools/ps');
const { SCHEMA } = await core('model/schema');
const { complete } = await core('lang/complete');
const { COMMAND_WORDS } = await core('lang/lexer');
const { LABS } = await core('labs/registry');
const { zonelabUsage } = await core('labs/usage');
const ZONELAB_USAGE = zonelabUsage();

/** A bash word list, single-quoted. */
const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const words = (list) => q([...new Set(list)].join(' '));

/**
 * What the value of an option is, by its name in the tables: zone names (running zones, or every
 * configured one for the tools that configure), a file, a directory, or words of its own.
 */
function valueKind(tool, o) {
  if (o.name === 'zone' || ((o.name === 'zones' || o.name === 'z') && o.char === 'z')) return tool === 'zoneadm' || tool === 'zonecfg' ? 'zones-c' : 'zones';
  if (['file', 'source', 'profile', 'dryRun'].includes(o.name)) return 'file';
  if (['root', 'dir', 'R'].includes(o.name)) return 'dir';
  if (tool === 'zonestat' && o.name === 'resources') return `list:${RESOURCE_TYPES.join(' ')}`;
  if (tool === 'zonesvc' && o.name === 'init') return `words:${INIT_SYSTEMS.join(' ')}`;
  if (tool === 'zps' && o.name === 'o') return `list:${PS_FIELDS.map((f) => f.name).join(' ')}`;
  return 'none';
}

// One record per tool (and per subcommand): its option words, and what the value of each option that takes one is.
const optionTable = []; // [key, words]
const valueTable = []; // [key:option, kind]
function declare(tool, key, specs, long = []) {
  const visible = specs.filter((o) => !o.hidden);
  optionTable.push([key, [...visible.map((o) => `-${o.char}`), ...long.map((l) => `--${l}`)]]);
  for (const o of specs) if (o.value) valueTable.push([`${key}:-${o.char}`, valueKind(tool, o)]);
}

declare('zoneadm', 'zoneadm', GLOBAL_OPTIONS);
for (const [name, s] of Object.entries(SUBCOMMANDS)) declare('zoneadm', `zoneadm ${name}`, s.options, (s.long ?? []).map((l) => l.name));
declare('zonecfg', 'zonecfg', ZONECFG_OPTIONS);
declare('zlogin', 'zlogin', ZLOGIN_OPTIONS);
declare('zonestat', 'zonestat', ZONESTAT_OPTIONS, ['json']);
declare('zps', 'zps', ZPS_OPTIONS, ['json']);
declare('zpgrep', 'zpgrep', ZPGREP_OPTIONS);
declare('zpkill', 'zpkill', ZPKILL_OPTIONS);
declare('zprstat', 'zprstat', ZPRSTAT_OPTIONS, ['json']);
for (const [name, s] of Object.entries(ZONESVC_SUBCOMMANDS)) {
  declare('zonesvc', `zonesvc ${name}`, s.options, s.options.some((o) => o.name === 'init') ? ['init'] : []);
  if (s.options.some((o) => o.name === 'init')) valueTable.push([`zonesvc ${name}:--init`, `words:${INIT_SYSTEMS.join(' ')}`]);
}
// zonelab's subcommands are the first words of its usage lines; --json where they show it
const zonelabSubs = [...ZONELAB_USAGE.matchAll(/zonelab (\w+)([^\n]*)/g)].map((m) => ({ name: m[1], json: m[2].includes('--json'), lab: m[2].includes('<lab>') }));
for (const s of zonelabSubs) optionTable.push([`zonelab ${s.name}`, s.json ? ['--json'] : []]);

// zonecfg's command words: complete() asked in every position the bash function can name.
// Keys: `SCOPE|` (a command's first word), `SCOPE|cmd` (its second), `SCOPE|cmd type` (after a
// resource type), `SCOPE|=prop` (the value after `prop=`); SCOPE is the resource type being edited.
const zonecfgTable = [];
const ask = (line, scope) => complete(line, scope)[0].map((w) => w.trimEnd());
const types = SCHEMA.resources.map((r) => r.type);
for (const scope of ['', ...types]) {
  const s = scope || undefined;
  zonecfgTable.push([`${scope}|`, ask('', s)]);
  for (const cmd of COMMAND_WORDS) {
    const second = ask(`${cmd} `, s);
    if (second.length > 0) zonecfgTable.push([`${scope}|${cmd}`, second]);
    for (const t of types) {
      const third = ask(`${cmd} ${t} `, s);
      if (third.length > 0) zonecfgTable.push([`${scope}|${cmd} ${t}`, third]);
    }
  }
  const props = s ? (SCHEMA.resourceType(s)?.props ?? []) : SCHEMA.globals;
  for (const p of props) {
    const values = ask(`set ${p.name}=`, s);
    if (values.length > 0) zonecfgTable.push([`${scope}|=${p.name}`, values.map((v) => v.slice(p.name.length + 1))]);
  }
}

// through a function: bash and zsh quote the key of `name['key']=value` differently, not that of `name[$key]`
const assoc = (name, rows) => [`declare -gA ${name}`, ...rows.map(([k, v]) => `_zones_put ${name} ${q(k)} ${Array.isArray(v) ? words(v) : q(v)}`)].join('\n');

const tools = ['zonecfg', 'zoneadm', 'zlogin', 'zonestat', 'zonesvc', 'zps', 'zpgrep', 'zpkill', 'zprstat', 'zonelab'];
const body = `# Completion for ${tools.join(', ')} (bash; zsh loads it through bashcompinit).
# Generated by scripts/completion.mjs from core's command-line tables and zonecfg's own Tab
# completion (npm run build); do not edit. docs/reference.md#10-completion

_zones_put() { eval "$1[\\$2]=\\$3"; }
${assoc('_zones_options', optionTable)}
${assoc('_zones_values', valueTable)}
${assoc('_zones_zonecfg', zonecfgTable)}
_zones_zoneadm_subcommands=${words(Object.keys(SUBCOMMANDS).filter((s) => s !== 'help'))}
_zones_zonesvc_subcommands=${words(Object.keys(ZONESVC_SUBCOMMANDS))}
_zones_zonelab_subcommands=${words(zonelabSubs.map((s) => s.name))}
_zones_zonelab_lab_subcommands=${words(zonelabSubs.filter((s) => s.lab).map((s) => s.name))}
_zones_labs=${words(LABS.flatMap((l) => [String(l.id).padStart(2, '0'), l.slug]))}
_zones_zonecfg_types=${words(types)}

# The zones of this host (no global): every configured one with -c, else the running ones. Read
# with the zoneadm beside the command being completed when it was typed with a path, else PATH's.
_zones_zone_names() {
  local zoneadm=zoneadm dir=\${_zw[0]%/*}
  [[ \${_zw[0]} == */* && -x $dir/zoneadm ]] && zoneadm=$dir/zoneadm
  "$zoneadm" list $1 2>/dev/null | while read -r z; do [[ $z == global ]] || printf '%s\\n' "$z"; done
}

# The words before the cursor, split on blanks only (not on = or :), the last one being completed.
_zones_split_line() {
  local line=\${COMP_LINE:0:$COMP_POINT}
  if [[ -n \${ZSH_VERSION-} ]]; then eval '_zw=(\${=line})'; else read -ra _zw <<< "$line"; fi
  [[ -z $line || $line == *[[:space:]] ]] && _zw+=("")
  return 0
}

# COMPREPLY from a word list; bash completes only the part after the last = or : (COMP_WORDBREAKS).
_zones_reply() {
  local cur=$1 w
  shift
  COMPREPLY=()
  while IFS= read -r w; do [[ -n $w ]] && COMPREPLY+=("$w"); done < <(compgen -W "$*" -- "$cur")
  local pre=\${cur%"\${cur##*[=:]}"}
  [[ -n $pre && \${COMP_WORDBREAKS-} == *"\${pre: -1}"* ]] && _zones_strip "$pre"
  return 0
}

# The value of an option: zone names, a file, a directory, words, or a comma list of words.
_zones_value() {
  local kind=$1 cur=$2 w
  case $kind in
    zones-c) _zones_reply "$cur" "$(_zones_zone_names -c)" ;;
    zones) _zones_reply "\${cur##*,}" "$(_zones_zone_names)"; _zones_prefix_list "$cur" ;;
    file) COMPREPLY=(); while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen -f -- "$cur") ;;
    dir) COMPREPLY=(); while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen -d -- "$cur") ;;
    words:*) _zones_reply "$cur" "\${kind#words:}" ;;
    list:*) _zones_reply "\${cur##*,}" "\${kind#list:}"; _zones_prefix_list "$cur" ;;
    *) COMPREPLY=() ;;
  esac
}

# For a comma list: the items already typed go back in front of each candidate.
_zones_prefix_list() {
  local head=\${1%"\${1##*,}"} w
  [[ -z $head || \${COMP_WORDBREAKS-} == *,* ]] && return 0
  local -a r=()
  for w in "\${COMPREPLY[@]}"; do r+=("$head$w"); done
  COMPREPLY=("\${r[@]}")
  return 0
}

# Takes $1 off the front of every candidate.
_zones_strip() {
  local w
  local -a r=()
  for w in "\${COMPREPLY[@]}"; do r+=("\${w#"$1"}"); done
  COMPREPLY=("\${r[@]}")
}

# zonecfg's command words after its options: what the zonecfg shell's Tab would offer there.
_zones_zonecfg_words() {
  local cur=$1 scope='' w
  shift
  local -a cmd=()
  for w in "$@"; do
    if [[ $w == ';' || $w == '\\;' ]]; then
      case "\${cmd[0]-} \${cmd[1]-}" in
        'add '* | 'select '*) [[ " $_zones_zonecfg_types " == *" \${cmd[1]-} "* ]] && scope=\${cmd[1]} ;;
        'end '* | 'cancel '*) scope='' ;;
      esac
      cmd=()
    elif [[ \${cmd[0]-} != info || $w != --json ]]; then cmd+=("$w"); fi
  done
  local key="$scope|"
  if [[ $cur == *=* ]]; then
    key="$scope|=\${cur%%=*}"
    local v list=''
    for v in \${_zones_zonecfg[$key]-}; do list+=" \${cur%%=*}=$v"; done
    _zones_reply "$cur" "$list"
    return 0
  fi
  if (( \${#cmd[@]} == 1 )); then key="$scope|\${cmd[0]}"
  elif (( \${#cmd[@]} >= 2 )); then
    local t=''
    for w in "\${cmd[@]:1}"; do [[ $w == -* ]] || { t=$w; break; }; done
    key="$scope|\${cmd[0]} $t"
  fi
  _zones_reply "$cur" "\${_zones_zonecfg[$key]-}"
  [[ \${COMPREPLY[0]-} == *= ]] && type compopt >/dev/null 2>&1 && compopt -o nospace 2>/dev/null
  return 0
}

_zones_complete() {
  local -a _zw
  _zones_split_line
  local n=\${#_zw[@]} cur=\${_zw[\${#_zw[@]}-1]} tool=\${_zw[0]##*/} key i=1 w kind
  key=$tool
  local -a operands=()
  # walk the words before the one being completed: options (and their values), then operands
  while (( i < n - 1 )); do
    w=\${_zw[i]}
    if (( \${#operands[@]} == 0 )) && [[ $w == -* && $w != - && $w != -- ]]; then
      kind=\${_zones_values[$key:$w]-}
      [[ -n $kind ]] && (( i++ ))
    elif [[ ($tool == zoneadm || $tool == zonesvc || $tool == zonelab) && $key == "$tool" ]]; then
      key="$tool $w"
    else operands+=("$w"); fi
    (( i++ ))
  done
  local prev=''
  (( n >= 2 )) && prev=\${_zw[n-2]}
  if (( \${#operands[@]} == 0 )) && [[ $prev == -* ]] && kind=\${_zones_values[$key:$prev]-} && [[ -n $kind ]]; then
    _zones_value "$kind" "$cur"
    return 0
  fi
  if [[ $cur == -* ]] && (( \${#operands[@]} == 0 )); then
    _zones_reply "$cur" "\${_zones_options[$key]-}"
    return 0
  fi
  case $tool in
    zoneadm) [[ $key == zoneadm ]] && _zones_reply "$cur" "$_zones_zoneadm_subcommands" || COMPREPLY=() ;;
    zonesvc) [[ $key == zonesvc ]] && _zones_reply "$cur" "$_zones_zonesvc_subcommands" || COMPREPLY=() ;;
    zonelab)
      if [[ $key == zonelab ]]; then _zones_reply "$cur" "$_zones_zonelab_subcommands"
      elif (( \${#operands[@]} == 0 )) && [[ " $_zones_zonelab_lab_subcommands " == *" \${key#zonelab } "* ]]; then _zones_reply "$cur" "$_zones_labs"
      else COMPREPLY=(); fi ;;
    zlogin) (( \${#operands[@]} == 0 )) && _zones_reply "$cur" "$(_zones_zone_names)" || COMPREPLY=() ;;
    zonecfg) _zones_zonecfg_words "$cur" "\${operands[@]}" ;;
    *) COMPREPLY=() ;;
  esac
  return 0
}

complete -F _zones_complete ${tools.join(' ')}
`;

const zsh = `#compdef ${tools.join(' ')}
# zsh completion for the zones tools: the bash completion (completion/zones.bash, generated by
# scripts/completion.mjs; do not edit), loaded through zsh's bashcompinit on first use.
autoload -U +X bashcompinit && bashcompinit
${body}
_bash_complete -F _zones_complete "$@"
`;

const out = join(repo, 'completion');
mkdirSync(out, { recursive: true });
for (const [file, text] of [['zones.bash', body], ['_zones', zsh]]) {
  // written whole, then renamed: a shell sourcing it while we build never reads half a file
  writeFileSync(join(out, `${file}.tmp`), text);
  renameSync(join(out, `${file}.tmp`), join(out, file));
}
