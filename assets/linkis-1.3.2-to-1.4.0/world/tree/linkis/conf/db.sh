#
# description:  the database Linkis uses (deploy-config/db.sh, copied into conf/ by install.sh).
# Sandbox world: the database is this world's private MariaDB, reached through its Unix socket.
#

### Used to store user's custom variables, user's configuration, UDFs and functions, while providing the JobHistory service
MYSQL_HOST=localhost
MYSQL_PORT=3306
MYSQL_DB=${DB_NAME}
MYSQL_USER=${DB_USER}
MYSQL_PASSWORD=${DB_PASSWORD}
## Sandbox world only: the socket the client must use (the server does not listen on TCP)
MYSQL_SOCKET=${DB_SOCKET}

### Provide the DB information of Hive metadata database.
### Attention! If there are special characters like "&", they need to be enclosed in quotation marks.
HIVE_META_URL=""
HIVE_META_USER=""
HIVE_META_PASSWORD=""

### define openLookeng parameters for connection.
OLK_HOST=
OLK_PORT=
OLK_CATALOG=
OLK_SCHEMA=
OLK_USER=
OLK_PASSWORD=

### define Presto parameters for connection.
PRESTO_HOST=
PRESTO_PORT=
PRESTO_CATALOG=
PRESTO_SCHEMA=
