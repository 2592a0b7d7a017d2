-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: db.corp.internal    Database: shop
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
INSERT INTO `orders` VALUES (1,'2024-04-30',1999);
