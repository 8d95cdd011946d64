"""`switcher completion bash|zsh|fish`: a completion script made from the parser itself, so
it always knows every sub-command and option. Target names are asked of
`switcher __complete targets PREFIX` on each Tab (switcher/target_names.py: the inventory
cache only, no AWS SDK); regions and choices are written into the script."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from switcher.cli.parser import build_parser

TARGET = "target"
REGIONS = ["\0regions"]
"""The choices of --region: written once into each script, under a name."""


@dataclass
class Command:
    name: str
    help: str
    options: list[str] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)
    """Options that take a value: their choices (none: any value)."""
    files: list[str] = field(default_factory=list)
    """Options whose value is a path."""
    target: bool = False
    words: list[str] = field(default_factory=list)
    """Choices of its positional argument (keys: add, list...)."""


def _commands(parser: argparse.ArgumentParser) -> list[Command]:
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {a.dest: a.help or "" for a in subparsers._choices_actions}
    commands = []
    for name, sub in subparsers.choices.items():
        command = Command(name, helps.get(name, ""))
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                command.words = list(action.choices)
            elif not action.option_strings:
                if action.dest == TARGET:
                    command.target = True
                elif action.choices:
                    command.words = [str(c) for c in action.choices]
            else:
                command.options += action.option_strings
                if action.nargs != 0:
                    for option in action.option_strings:
                        if action.type is Path:
                            command.files.append(option)
                        command.values[option] = (
                            REGIONS if option == "--region"
                            else [str(c) for c in action.choices or ()])
        commands.append(command)
    return commands


def _root_options(parser: argparse.ArgumentParser) -> list[str]:
    return [o for a in parser._actions if a.option_strings for o in a.option_strings]


def _quoted(text: str) -> str:
    """In single quotes, for bash, zsh and fish alike."""
    return "'" + text.replace("\\", "\\\\").replace("'", "'\\''") + "'"


def _fish_quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _bash_values(choices: list[str], paths: bool) -> str:
    if paths:
        return "compopt -o default; COMPREPLY=(); return ;;"
    if not choices:
        return "COMPREPLY=(); return ;;"
    words = '"$_switcher_regions"' if choices == REGIONS else _quoted(" ".join(choices))
    return f'COMPREPLY=($(compgen -W {words} -- "$cur")); return ;;'


def _zsh_values(choices: list[str], paths: bool) -> str:
    if paths:
        return "_files; return ;;"
    if choices == REGIONS:
        return "compadd -- $_switcher_regions; return ;;"
    return f"compadd -- {' '.join(_quoted(c) for c in choices)}; return ;;"


def bash(commands: list[Command], root: list[str], regions: list[str]) -> str:
    arms = []
    for command in commands:
        values = [f"            {'|'.join(options)}) {_bash_values(choices, paths)}"
                  for choices, options, paths in _grouped(command)]
        positional = ("_switcher_targets" if command.target else
                      f"COMPREPLY=($(compgen -W {_quoted(' '.join(command.words))} -- \"$cur\"))"
                      if command.words else "COMPREPLY=()")
        arms.append(f"        {command.name})\n"
                    + ("          case $prev in\n" + "\n".join(values) + "\n          esac\n"
                       if values else "")
                    + f"          if [[ $cur == -* ]]; then\n"
                    f"            COMPREPLY=($(compgen -W {_quoted(' '.join(command.options))}"
                    " -- \"$cur\"))\n"
                    f"          else\n            {positional}\n          fi ;;")
    names = " ".join(c.name for c in commands)
    return f"""# switcher completion for bash. Load it from ~/.bashrc:
#   eval "$(switcher completion bash)"
_switcher_regions={_quoted(" ".join(regions))}

_switcher_targets() {{
    local name
    COMPREPLY=()
    while IFS= read -r name; do
        COMPREPLY+=("$(printf '%q' "$name")")
    done < <("${{COMP_WORDS[0]}}" __complete targets "$cur" 2>/dev/null)
}}

_switcher() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    local command="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${{COMP_WORDS[i]}} == -- ]]; then  # exec's command: complete it as usual
            compopt -o default; COMPREPLY=(); return
        fi
        if [[ -z $command && ${{COMP_WORDS[i]}} != -* ]]; then
            command=${{COMP_WORDS[i]}}
        fi
    done
    if [[ -z $command ]]; then
        COMPREPLY=($(compgen -W {_quoted(names + ' ' + ' '.join(root))} -- "$cur"))
        return
    fi
    case $command in
{chr(10).join(arms)}
    esac
}}
complete -F _switcher switcher
"""


def _grouped(command: Command) -> list[tuple[list[str], list[str], bool]]:
    """Options that take a value, grouped by their choices: (choices, options, paths)."""
    groups: dict[tuple[bool, tuple[str, ...]], list[str]] = {}
    for option, choices in command.values.items():
        groups.setdefault((option in command.files, tuple(choices)), []).append(option)
    return [(list(choices), options, paths) for (paths, choices), options in groups.items()]


def zsh(commands: list[Command], root: list[str], regions: list[str]) -> str:
    described = "\n".join(f"    {_quoted(c.name + ':' + c.help)}" for c in commands)
    arms = []
    for command in commands:
        values = [f"        {'|'.join(options)}) {_zsh_values(choices, paths)}"
                  for choices, options, paths in _grouped(command)]
        positional = ("_switcher_targets" if command.target else
                      f"compadd -- {' '.join(_quoted(w) for w in command.words)}"
                      if command.words else ":")
        arms.append(f"    {command.name})\n"
                    + ("      case $prev in\n" + "\n".join(values) + "\n      esac\n"
                       if values else "")
                    + f"      if [[ $PREFIX == -* ]]; then\n"
                    f"        compadd -- {' '.join(_quoted(o) for o in command.options)}\n"
                    f"      else\n        {positional}\n      fi ;;")
    return f"""#compdef switcher
# switcher completion for zsh. Load it from ~/.zshrc, after compinit:
#   source <(switcher completion zsh)
# or save it as _switcher in a folder of your $fpath.
typeset -ga _switcher_regions
_switcher_regions=({" ".join(regions)})

_switcher_targets() {{
  local -a names
  names=(${{(f)"$($words[1] __complete targets "$PREFIX" 2>/dev/null)"}})
  compadd -- $names
}}

_switcher() {{
  local -a commands
  commands=(
{described}
  )
  local command="" prev=$words[CURRENT-1] i
  for (( i = 2; i < CURRENT; i++ )); do
    if [[ $words[i] == -- ]]; then  # exec's command: complete it as usual
      shift $(( i )) words; (( CURRENT -= i )); _normal; return
    fi
    if [[ -z $command && $words[i] != -* ]]; then
      command=$words[i]
    fi
  done
  if [[ -z $command ]]; then
    if [[ $PREFIX == -* ]]; then
      compadd -- {' '.join(_quoted(o) for o in root)}
    else
      _describe -t commands 'switcher command' commands
    fi
    return
  fi
  case $command in
{chr(10).join(arms)}
  esac
}}

if [[ $funcstack[1] == _switcher ]]; then
  _switcher "$@"
else
  compdef _switcher switcher
fi
"""


def fish(commands: list[Command], root: list[str], regions: list[str]) -> str:
    value_options = sorted({o for c in commands for o in c.values})
    lines = [
        "# switcher completion for fish. Save it where fish finds it:",
        "#   switcher completion fish > ~/.config/fish/completions/switcher.fish",
        "function __switcher_wants_target",
        "    set -l words (commandline -opc)",
        "    contains -- -- $words; and return 1",
        f"    contains -- $words[-1] {' '.join(value_options)}; and return 1",
        "    return 0",
        "end",
        "complete -c switcher -f",
    ]
    for option in root:
        if option.startswith("--"):
            lines.append(f"complete -c switcher -n __fish_use_subcommand -l {option[2:]}")
    for command in commands:
        lines.append(f"complete -c switcher -n __fish_use_subcommand -a {command.name} "
                     f"-d {_fish_quoted(command.help)}")
        seen = f"'__fish_seen_subcommand_from {command.name}'"
        for option in command.options:
            if not option.startswith("--"):
                continue
            spec = f"complete -c switcher -n {seen} -l {option[2:]}"
            if option in command.files:
                spec += " -r -F"
            elif option in command.values:
                choices = regions if command.values[option] == REGIONS else (
                    command.values[option])
                spec += " -x" + (f" -a {_fish_quoted(' '.join(choices))}" if choices else "")
            lines.append(spec)
        if command.target:
            lines.append(f"complete -c switcher -n '__fish_seen_subcommand_from {command.name};"
                         " and __switcher_wants_target' -a '(switcher __complete targets "
                         "(commandline -ct))'")
        elif command.words:
            lines.append(f"complete -c switcher -n \"__fish_seen_subcommand_from "
                         f"{command.name}; and not __fish_seen_subcommand_from "
                         f"{' '.join(command.words)}\" -a {_fish_quoted(' '.join(command.words))}")
    return "\n".join(lines) + "\n"


SHELLS = {"bash": bash, "zsh": zsh, "fish": fish}


def script(shell: str) -> str:
    from switcher import regions

    parser = build_parser()
    return SHELLS[shell](_commands(parser), _root_options(parser), regions.region_names())


def completion(args: argparse.Namespace) -> int:
    sys.stdout.write(script(args.shell))
    return 0
