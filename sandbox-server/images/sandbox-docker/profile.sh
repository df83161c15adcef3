# Dockyard sandbox shell: a readable prompt, docker completion, and the welcome text once.
if [ -n "${BASH_VERSION:-}" ]; then
  PS1='\[\e[1;36m\]dockyard\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]\$ '
  [ -f /usr/share/bash-completion/bash_completion ] && . /usr/share/bash-completion/bash_completion
  alias ll='ls -la --color=auto'
  alias ls='ls --color=auto'
  if [ -z "${DOCKYARD_MOTD_SHOWN:-}" ] && [ -t 1 ]; then
    cat /etc/motd 2>/dev/null
    export DOCKYARD_MOTD_SHOWN=1
  fi
fi
