/* state: in progress */
