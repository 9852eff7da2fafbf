package dev.taskscheduler.worker.handler.builtin.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Name resolution, replaceable so that tests can make a name resolve to any address. */
@FunctionalInterface
public interface HostResolver {

    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
