# The commands you ran, one per line.
mkdir site
