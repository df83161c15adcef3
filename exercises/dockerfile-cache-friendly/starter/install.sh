#!/bin/sh
# Stands in for `pip install -r requirements.txt`, which needs the internet to download packages.
# Like a real install it takes a while, and it leaves what it installed in ./vendor.
set -eu
echo "Installing the packages of requirements.txt (this takes a few seconds)..."
mkdir -p vendor
while read -r package; do
  [ -n "$package" ] || continue
  sleep 1
  echo "$package" >> vendor/INSTALLED
  echo "  installed $package"
done < requirements.txt
