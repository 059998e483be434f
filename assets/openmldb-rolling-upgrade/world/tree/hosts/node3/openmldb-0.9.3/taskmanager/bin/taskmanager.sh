#!/bin/sh
echo 'OpenMLDB taskmanager 0.9.3 (stand-in)'
