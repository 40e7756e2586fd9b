/* core: in progress */
