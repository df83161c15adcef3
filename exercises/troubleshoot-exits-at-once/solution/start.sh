#!/bin/sh
# Prepare the app's folder, then start the app.
echo "start.sh: preparing"
mkdir -p /tmp/notes
exec python app.py
