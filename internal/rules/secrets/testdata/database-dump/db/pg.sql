--
-- PostgreSQL database dump
--
-- Dumped from database version 16.2
SET statement_timeout = 0;
