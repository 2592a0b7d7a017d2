ls
mysql -u root -pKq8vZt2Xk9 shop
exit
