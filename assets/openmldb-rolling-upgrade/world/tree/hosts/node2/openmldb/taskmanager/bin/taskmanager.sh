#!/bin/sh
echo 'OpenMLDB taskmanager 0.8.5 (stand-in)'
