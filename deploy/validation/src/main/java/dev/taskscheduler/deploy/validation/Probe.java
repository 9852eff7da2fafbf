package dev.taskscheduler.deploy.validation;
public class Probe { public static void main(String[] a) { System.out.println("ok"); } }
