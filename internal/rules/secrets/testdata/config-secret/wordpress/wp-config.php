<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp' );
define( 'DB_PASSWORD', 'Xt8Lq3Wz6Km1' ); // want "DB_PASSWORD"
define( 'AUTH_KEY',         'k2#Lx9!Qw4@Zr7$Tm1%Vb6^Nc3&Py8*' ); // want "AUTH_KEY"
define( 'SECURE_AUTH_KEY',  'put your unique phrase here' );
define( 'DB_HOST', getenv('DB_HOST') );
