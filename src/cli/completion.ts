import type { Command } from 'commander';

/** Shell completion scripts, generated from the program itself so they never miss a command or option. */
export function completionScript(program: Command, shell: string, labs: readonly string[]): string {
  const commands = program.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
  const optionsOf = (c: Command) => c.options.map((o) => o.long ?? o.short).filter((o): o is string => !!o).concat('--help');
  const globals = program.options.map((o) => o.long).filter((o): o is string => !!o);
  if (shell === 'bash') {
    const cases = commands.map((c) => `    ${c.name()}) opts="${optionsOf(c).join(' ')}" ;;`).join('\n');
    return `# bash completion for netlab: source <(netlab completion bash)
_netlab() {
  local cur=\${COMP_WORDS[COMP_CWORD]} cmd=\${COMP_WORDS[1]} opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${commands.map((c) => c.name()).join(' ')} ${globals.join(' ')}" -- "$cur")); return
  fi
  case "$cmd" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts ${globals.join(' ')}" -- "$cur")); return; fi
  COMPREPLY=($(compgen -W "${labs.join(' ')}" -- "$cur") $(compgen -f -X '!*.y*ml' -- "$cur") $(compgen -d -- "$cur"))
}
complete -F _netlab netlab
`;
  }
  const esc = (s: string) => s.replace(/'/g, "'\\''").replace(/:/g, '\\:').replace(/[[\]]/g, '');
  const describe = commands.map((c) => `    '${c.name()}:${esc(c.description())}'`).join('\n');
  const cases = commands.map((c) => `      (${c.name()}) _arguments ${optionsOf(c).map((o) => `'${o}'`).join(' ')} '*:lab:_netlab_labs' ;;`).join('\n');
  return `#compdef netlab
# zsh completion for netlab: netlab completion zsh > "\${fpath[1]}/_netlab"
_netlab_labs() { _alternatives 'labs:shipped lab:(${labs.join(' ')})' 'files:lab file:_files -g "*.y(a|)ml"'; }
_netlab() {
  local -a commands
  commands=(
${describe}
  )
  if (( CURRENT == 2 )); then _describe 'command' commands; return; fi
  case \${words[2]} in
${cases}
  esac
}
compdef _netlab netlab 2>/dev/null || _netlab "$@"
`;
}
